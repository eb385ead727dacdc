-- Report rollups: per UTC hour, the report measures of cases and messages grouped four ways (community ×
-- team × channel; community × assignee; community × topic; community alone), rebuilt per hour from the raw tables whenever an
-- hour is marked dirty. Triggers mark the hours a change touches, so every write path keeps them exact.
CREATE TABLE "report_hours" (
	"org_id" integer NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	-- 0: community × team × channel; 1: community × assignee; 2: community × topic (a case under each topic);
	-- 3: community alone.
	"grp" smallint NOT NULL,
	"community_id" integer NOT NULL,
	"team_id" integer,
	"channel" text,
	"assignee_id" integer,
	"topic" text,
	"msg_in" integer DEFAULT 0 NOT NULL,
	"msg_out" integer DEFAULT 0 NOT NULL,
	"msg_ooh" integer DEFAULT 0 NOT NULL,
	"pos" integer DEFAULT 0 NOT NULL,
	"neu" integer DEFAULT 0 NOT NULL,
	"neg" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"frt_min" double precision[] DEFAULT '{}' NOT NULL,
	"frt_bmin" double precision[] DEFAULT '{}' NOT NULL,
	"frt_met" integer DEFAULT 0 NOT NULL,
	"frt_late" integer DEFAULT 0 NOT NULL,
	"frt_open_due" timestamp with time zone[] DEFAULT '{}' NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"res_min" double precision[] DEFAULT '{}' NOT NULL,
	"res_bmin" double precision[] DEFAULT '{}' NOT NULL,
	"res_met" integer DEFAULT 0 NOT NULL,
	"res_late" integer DEFAULT 0 NOT NULL,
	"reopened" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "report_hours_key" ON "report_hours" ("org_id", "grp", "hour");
--> statement-breakpoint
-- Hours to rebuild; append-only (no unique key, so concurrent writers never wait on each other).
CREATE TABLE "report_dirty" (
	"org_id" integer NOT NULL,
	"hour" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "report_dirty_org" ON "report_dirty" ("org_id", "hour");
--> statement-breakpoint
-- Marks hours dirty, skipping those already marked (a concurrent duplicate is harmless: rebuilt once).
CREATE FUNCTION report_mark_dirty(marks jsonb) RETURNS void LANGUAGE sql AS $$
  INSERT INTO report_dirty (org_id, hour)
  SELECT DISTINCT x.org_id, x.hour FROM jsonb_to_recordset(marks) AS x(org_id integer, hour timestamptz)
  WHERE x.hour IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM report_dirty d WHERE d.org_id = x.org_id AND d.hour = x.hour);
$$;
--> statement-breakpoint
-- Changed rows are found with EXCEPT (hashed set operations), not by joining old and new rows: the planner takes a
-- transition table for one row and would compare every pair (half a second for 2,000 updated rows).
CREATE FUNCTION report_dirty_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM report_mark_dirty((SELECT jsonb_agg(DISTINCT jsonb_build_object('org_id', org_id,
      'hour', date_trunc('hour', created_at, 'UTC'))) FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM report_mark_dirty((SELECT jsonb_agg(DISTINCT jsonb_build_object('org_id', org_id,
      'hour', date_trunc('hour', created_at, 'UTC'))) FROM old_rows));
  ELSE
    PERFORM report_mark_dirty((SELECT jsonb_agg(DISTINCT jsonb_build_object('org_id', x.org_id,
      'hour', date_trunc('hour', x.created_at, 'UTC')))
    FROM ((SELECT id, org_id, created_at, case_id, direction, kind, sentiment FROM new_rows
           EXCEPT SELECT id, org_id, created_at, case_id, direction, kind, sentiment FROM old_rows)
          UNION ALL
          (SELECT id, org_id, created_at, case_id, direction, kind, sentiment FROM old_rows
           EXCEPT SELECT id, org_id, created_at, case_id, direction, kind, sentiment FROM new_rows)) x));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "messages_report_insert" AFTER INSERT ON "messages" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_messages();
--> statement-breakpoint
CREATE TRIGGER "messages_report_update" AFTER UPDATE ON "messages" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_messages();
--> statement-breakpoint
CREATE TRIGGER "messages_report_delete" AFTER DELETE ON "messages" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_messages();
--> statement-breakpoint
CREATE FUNCTION report_dirty_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM report_mark_dirty((SELECT jsonb_agg(DISTINCT jsonb_build_object('org_id', org_id,
      'hour', date_trunc('hour', t, 'UTC')))
    FROM new_rows CROSS JOIN LATERAL (VALUES (created_at), (resolved_at)) v(t) WHERE t IS NOT NULL));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM report_mark_dirty((SELECT jsonb_agg(DISTINCT jsonb_build_object('org_id', org_id,
      'hour', date_trunc('hour', t, 'UTC')))
    FROM old_rows CROSS JOIN LATERAL (VALUES (created_at), (resolved_at)) v(t) WHERE t IS NOT NULL));
  ELSE
    -- The hours a case is counted in, before and after a change of what reports read of it: created, resolved.
    PERFORM report_mark_dirty((SELECT jsonb_agg(DISTINCT jsonb_build_object('org_id', x.org_id,
      'hour', date_trunc('hour', t, 'UTC')))
    FROM ((SELECT id, org_id, community_id, team_id, assignee_id, channel, topics, merged_into, created_at,
             first_responded_at, first_response_due_at, resolved_at, resolution_due_at, reopened_count FROM new_rows
           EXCEPT SELECT id, org_id, community_id, team_id, assignee_id, channel, topics, merged_into, created_at,
             first_responded_at, first_response_due_at, resolved_at, resolution_due_at, reopened_count FROM old_rows)
          UNION ALL
          (SELECT id, org_id, community_id, team_id, assignee_id, channel, topics, merged_into, created_at,
             first_responded_at, first_response_due_at, resolved_at, resolution_due_at, reopened_count FROM old_rows
           EXCEPT SELECT id, org_id, community_id, team_id, assignee_id, channel, topics, merged_into, created_at,
             first_responded_at, first_response_due_at, resolved_at, resolution_due_at, reopened_count FROM new_rows)) x
    CROSS JOIN LATERAL (VALUES (x.created_at), (x.resolved_at)) v(t) WHERE t IS NOT NULL));
    -- And the hours of its messages when what reports group by changes.
    PERFORM report_mark_dirty((SELECT jsonb_agg(DISTINCT jsonb_build_object('org_id', m.org_id,
      'hour', date_trunc('hour', m.created_at, 'UTC')))
    FROM messages m
    WHERE m.case_id IN (
      SELECT id FROM (SELECT id, community_id, team_id, assignee_id, channel, topics, merged_into FROM new_rows
        EXCEPT SELECT id, community_id, team_id, assignee_id, channel, topics, merged_into FROM old_rows) moved)));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "cases_report_insert" AFTER INSERT ON "cases" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_cases();
--> statement-breakpoint
CREATE TRIGGER "cases_report_update" AFTER UPDATE ON "cases" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_cases();
--> statement-breakpoint
CREATE TRIGGER "cases_report_delete" AFTER DELETE ON "cases" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_cases();
--> statement-breakpoint
-- Calendars decide out-of-hours counts and business minutes: a change rebuilds every hour of the organization.
CREATE FUNCTION report_dirty_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_mark_dirty((SELECT jsonb_agg(jsonb_build_object('org_id', r.org_id, 'hour', r.hour))
  FROM report_hours r
  WHERE r.grp = 3 AND r.org_id IN (
    SELECT n.org_id FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE CASE TG_TABLE_NAME WHEN 'communities' THEN to_jsonb(o) -> 'calendar_id' IS DISTINCT FROM to_jsonb(n) -> 'calendar_id'
      ELSE to_jsonb(o) IS DISTINCT FROM to_jsonb(n) END)));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "calendars_report_update" AFTER UPDATE ON "calendars" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_org();
--> statement-breakpoint
CREATE TRIGGER "communities_report_update" AFTER UPDATE ON "communities" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_org();
--> statement-breakpoint
-- Everything already stored is to be built once.
INSERT INTO report_dirty (org_id, hour)
SELECT DISTINCT org_id, date_trunc('hour', created_at, 'UTC') FROM messages
UNION SELECT DISTINCT org_id, date_trunc('hour', created_at, 'UTC') FROM cases
UNION SELECT DISTINCT org_id, date_trunc('hour', resolved_at, 'UTC') FROM cases WHERE resolved_at IS NOT NULL;
--> statement-breakpoint
-- The backlog (active cases and their age) reads this index alone.
DROP INDEX "cases_active_counts";
--> statement-breakpoint
CREATE INDEX "cases_active_counts" ON "cases" USING btree ("org_id","community_id","status","assignee_id","team_id","channel","first_responded_at","first_response_due_at") INCLUDE ("created_at", "merged_into", "topics") WHERE status in ('new', 'open', 'waiting_customer', 'waiting_internal');
