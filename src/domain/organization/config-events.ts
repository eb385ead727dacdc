/** NOTIFY channel telling every process to reload the organization's configuration (directory, policies). */
export const CONFIG_CHANNEL = 'passeur_config';
