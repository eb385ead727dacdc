import type { AnchorHTMLAttributes, Ref } from 'react';
import { isPlainClick, navigate } from '../lib/router.ts';

/** An in-app link: a real <a href> (middle-click, copy link) that the router takes over on a plain click. */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; ref?: Ref<HTMLAnchorElement> }) {
  const { onClick, href, ...rest } = props;
  return (
    <a
      {...rest}
      href={href}
      onClick={(e) => {
        onClick?.(e);
        if (e.defaultPrevented || !isPlainClick(e)) return;
        e.preventDefault();
        navigate(href);
      }}
    />
  );
}
