-- V1__init: written by `rlsctl migrate new` from the declaration.
-- Applied by `rlsctl migrate up`, in one transaction with its history row.
--
-- changes:
--   + schema app
--   + function app.audit_log_record()
--   + function app.current_member_role()
--   + function app.current_tenant_id()
--   + function app.current_user_id()
--   + table app.audit_log: row-level security enabled and forced
--   + policy audit_log_append on app.audit_log
--   + policy audit_log_readers on app.audit_log
--   + policy tenant_isolation on app.audit_log
--   + grant SELECT on table app.audit_log to app_user
--   + table app.invoices: row-level security enabled and forced
--   + policy invoices_admins_only on app.invoices
--   + policy tenant_isolation on app.invoices
--   + grant SELECT on table app.invoices to app_user
--   + grant INSERT on table app.invoices to app_user
--   + grant UPDATE on table app.invoices to app_user
--   + grant DELETE on table app.invoices to app_user
--   + table app.memberships: row-level security enabled and forced
--   + policy memberships_admins_delete on app.memberships
--   + policy memberships_admins_insert on app.memberships
--   + policy memberships_admins_update on app.memberships
--   + policy tenant_isolation on app.memberships
--   + grant SELECT on table app.memberships to app_user
--   + grant INSERT on table app.memberships to app_user
--   + grant UPDATE on table app.memberships to app_user
--   + grant DELETE on table app.memberships to app_user
--   + table app.plans
--   + grant SELECT on table app.plans to app_user
--   + table app.projects: row-level security enabled and forced
--   + policy projects_owner_deletes on app.projects
--   + policy tenant_isolation on app.projects
--   + grant SELECT on table app.projects to app_user
--   + grant INSERT on table app.projects to app_user
--   + grant UPDATE on table app.projects to app_user
--   + grant DELETE on table app.projects to app_user
--   + table app.tasks: row-level security enabled and forced
--   + policy tasks_assignee_updates on app.tasks
--   + policy tenant_isolation on app.tasks
--   + grant SELECT on table app.tasks to app_user
--   + grant INSERT on table app.tasks to app_user
--   + grant UPDATE on table app.tasks to app_user
--   + grant DELETE on table app.tasks to app_user
--   + table app.tenants: row-level security enabled and forced
--   + policy tenant_isolation on app.tenants
--   + grant SELECT on table app.tenants to app_user
--   + grant UPDATE on table app.tenants to app_user
--   + table app.users: row-level security enabled and forced
--   + policy users_update_self on app.users
--   + policy users_visible_in_tenant on app.users
--   + grant SELECT on table app.users to app_user
--   + grant UPDATE on table app.users to app_user
--   + trigger audit_trail on app.invoices
--   + trigger audit_trail on app.projects
--   + trigger audit_trail on app.tasks
-- hazards: none

SET LOCAL lock_timeout = '5s';
SET LOCAL check_function_bodies = off;

-- + schema app
CREATE SCHEMA app;

-- + function app.audit_log_record()
CREATE OR REPLACE FUNCTION app.audit_log_record() RETURNS trigger LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER SET search_path = '' AS $$declare
  old_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then pg_catalog.to_jsonb(old) end;
  new_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then pg_catalog.to_jsonb(new) end;
  this_row jsonb := coalesce(new_row, old_row);
  key_columns text[] := array(select pg_catalog.jsonb_array_elements_text(tg_argv[1]::jsonb));
  recorded text[] := array(select pg_catalog.jsonb_array_elements_text(tg_argv[2]::jsonb));
  old_values jsonb;
  new_values jsonb;
begin
  if tg_op = 'UPDATE' then
    select coalesce(pg_catalog.jsonb_object_agg(c, old_row -> c), '{}'),
           coalesce(pg_catalog.jsonb_object_agg(c, new_row -> c), '{}')
      into old_values, new_values
      from pg_catalog.unnest(recorded) as c
     where (old_row -> c) is distinct from (new_row -> c);
  elsif tg_op = 'INSERT' then
    select coalesce(pg_catalog.jsonb_object_agg(c, new_row -> c), '{}') into new_values
      from pg_catalog.unnest(recorded) as c;
  else
    select coalesce(pg_catalog.jsonb_object_agg(c, old_row -> c), '{}') into old_values
      from pg_catalog.unnest(recorded) as c;
  end if;
  insert into app.audit_log (tenant_id, actor, caller, action, table_name, row_key, old_values, new_values)
  values (
    (this_row ->> tg_argv[0])::uuid,
    (nullif(pg_catalog.current_setting('app.user_id', true), ''))::text,
    coalesce(nullif(pg_catalog.current_setting('role'), 'none'), session_user),
    tg_op,
    pg_catalog.format('%I.%I', tg_table_schema, tg_table_name),
    (select coalesce(pg_catalog.jsonb_object_agg(c, this_row -> c), '{}')
       from pg_catalog.unnest(key_columns) as c),
    old_values,
    new_values);
  return null;
end$$;

-- + function app.current_member_role()
CREATE OR REPLACE FUNCTION app.current_member_role() RETURNS text LANGUAGE sql STABLE PARALLEL UNSAFE AS $$select m.role
  from app.memberships m
 where m.tenant_id = app.current_tenant_id()
   and m.user_id = app.current_user_id()
$$;

-- + function app.current_tenant_id()
CREATE OR REPLACE FUNCTION app.current_tenant_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL UNSAFE AS $$select nullif(current_setting('app.tenant_id', true), '')::uuid$$;

-- + function app.current_user_id()
CREATE OR REPLACE FUNCTION app.current_user_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL UNSAFE AS $$select nullif(current_setting('app.user_id', true), '')::uuid$$;

-- + table app.audit_log
CREATE TABLE app.audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    tenant_id uuid NOT NULL,
    actor text,
    caller text NOT NULL,
    action text NOT NULL,
    table_name text NOT NULL,
    row_key jsonb NOT NULL,
    old_values jsonb,
    new_values jsonb,
    txid bigint NOT NULL DEFAULT txid_current(),
    recorded_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT audit_log_action_check CHECK ((action = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text]))),
    CONSTRAINT audit_log_pkey PRIMARY KEY (id)
);

-- + table app.invoices
CREATE TABLE app.invoices (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    number text NOT NULL,
    amount_cents bigint NOT NULL,
    status text NOT NULL DEFAULT 'draft'::text,
    issued_on date NOT NULL DEFAULT CURRENT_DATE,
    CONSTRAINT invoices_amount_cents_check CHECK ((amount_cents >= 0)),
    CONSTRAINT invoices_pkey PRIMARY KEY (id),
    CONSTRAINT invoices_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'sent'::text, 'paid'::text, 'void'::text]))),
    CONSTRAINT invoices_tenant_id_number_key UNIQUE (tenant_id, number)
);

-- + table app.memberships
CREATE TABLE app.memberships (
    tenant_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text NOT NULL DEFAULT 'member'::text,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT memberships_pkey PRIMARY KEY (tenant_id, user_id),
    CONSTRAINT memberships_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'admin'::text, 'member'::text])))
);

-- + table app.plans
CREATE TABLE app.plans (
    id text NOT NULL,
    name text NOT NULL,
    monthly_price_cents integer NOT NULL,
    CONSTRAINT plans_monthly_price_cents_check CHECK ((monthly_price_cents >= 0)),
    CONSTRAINT plans_pkey PRIMARY KEY (id)
);

-- + table app.projects
CREATE TABLE app.projects (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    owner_id uuid,
    archived boolean NOT NULL DEFAULT false,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT projects_name_not_blank CHECK ((length(btrim(name)) > 0)),
    CONSTRAINT projects_pkey PRIMARY KEY (id),
    CONSTRAINT projects_tenant_id_id_key UNIQUE (tenant_id, id)
);

-- + table app.tasks
CREATE TABLE app.tasks (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL,
    title text NOT NULL,
    status text NOT NULL DEFAULT 'open'::text,
    assignee_id uuid,
    due_on date,
    CONSTRAINT tasks_pkey PRIMARY KEY (id),
    CONSTRAINT tasks_status_check CHECK ((status = ANY (ARRAY['open'::text, 'doing'::text, 'done'::text])))
);

-- + table app.tenants
CREATE TABLE app.tenants (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    plan_id text NOT NULL DEFAULT 'free'::text,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT tenants_name_not_blank CHECK ((length(btrim(name)) > 0)),
    CONSTRAINT tenants_pkey PRIMARY KEY (id)
);

-- + table app.users
CREATE TABLE app.users (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    email text NOT NULL,
    display_name text,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT users_email_has_at CHECK ((POSITION(('@'::text) IN (email)) > 1)),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_pkey PRIMARY KEY (id)
);

-- + table app.invoices
ALTER TABLE app.invoices ADD CONSTRAINT invoices_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id);

-- + table app.memberships
ALTER TABLE app.memberships ADD CONSTRAINT memberships_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id);
ALTER TABLE app.memberships ADD CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;

-- + table app.projects
ALTER TABLE app.projects ADD CONSTRAINT projects_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES app.users(id) ON DELETE SET NULL;
ALTER TABLE app.projects ADD CONSTRAINT projects_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id);

-- + table app.tasks
ALTER TABLE app.tasks ADD CONSTRAINT tasks_assignee_id_fkey FOREIGN KEY (assignee_id) REFERENCES app.users(id) ON DELETE SET NULL;
ALTER TABLE app.tasks ADD CONSTRAINT tasks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id);
ALTER TABLE app.tasks ADD CONSTRAINT tasks_tenant_id_project_id_fkey FOREIGN KEY (tenant_id, project_id) REFERENCES app.projects(tenant_id, id) ON DELETE CASCADE;

-- + table app.tenants
ALTER TABLE app.tenants ADD CONSTRAINT tenants_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES app.plans(id);

-- + table app.audit_log
CREATE INDEX audit_log_tenant_id_recorded_at_idx ON app.audit_log USING btree (tenant_id, recorded_at);

-- + table app.memberships
CREATE INDEX memberships_user_id_idx ON app.memberships USING btree (user_id);

-- + table app.projects
CREATE INDEX projects_tenant_id_created_at_idx ON app.projects USING btree (tenant_id, created_at) WHERE (NOT archived);
CREATE UNIQUE INDEX projects_tenant_id_name_idx ON app.projects USING btree (tenant_id, name);

-- + table app.tasks
CREATE INDEX tasks_assignee_id_idx ON app.tasks USING btree (assignee_id) WHERE (status <> 'done'::text);
CREATE INDEX tasks_tenant_id_expr_idx ON app.tasks USING btree (tenant_id, lower(title));
CREATE INDEX tasks_tenant_id_project_id_idx ON app.tasks USING btree (tenant_id, project_id);

-- + table app.audit_log
ALTER TABLE app.audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.audit_log FORCE ROW LEVEL SECURITY;

-- + table app.invoices
ALTER TABLE app.invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.invoices FORCE ROW LEVEL SECURITY;

-- + table app.memberships
ALTER TABLE app.memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.memberships FORCE ROW LEVEL SECURITY;

-- + table app.projects
ALTER TABLE app.projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.projects FORCE ROW LEVEL SECURITY;

-- + table app.tasks
ALTER TABLE app.tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.tasks FORCE ROW LEVEL SECURITY;

-- + table app.tenants
ALTER TABLE app.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.tenants FORCE ROW LEVEL SECURITY;

-- + table app.users
ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.users FORCE ROW LEVEL SECURITY;

-- + policy audit_log_append on app.audit_log
CREATE POLICY audit_log_append ON app.audit_log AS PERMISSIVE FOR INSERT TO PUBLIC WITH CHECK ((pg_trigger_depth() > 0));

-- + policy audit_log_readers on app.audit_log
CREATE POLICY audit_log_readers ON app.audit_log AS RESTRICTIVE FOR SELECT TO app_user USING ((( SELECT app.current_member_role() AS current_member_role) = ANY (ARRAY['owner'::text, 'admin'::text])));

-- + policy tenant_isolation on app.audit_log
CREATE POLICY tenant_isolation ON app.audit_log AS PERMISSIVE FOR ALL TO app_user USING ((tenant_id = ( SELECT app.current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT app.current_tenant_id() AS current_tenant_id)));

-- + policy invoices_admins_only on app.invoices
CREATE POLICY invoices_admins_only ON app.invoices AS RESTRICTIVE FOR ALL TO app_user USING ((( SELECT app.current_member_role() AS current_member_role) = ANY (ARRAY['owner'::text, 'admin'::text])));

-- + policy tenant_isolation on app.invoices
CREATE POLICY tenant_isolation ON app.invoices AS PERMISSIVE FOR ALL TO app_user USING ((tenant_id = ( SELECT app.current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT app.current_tenant_id() AS current_tenant_id)));

-- + policy memberships_admins_delete on app.memberships
CREATE POLICY memberships_admins_delete ON app.memberships AS RESTRICTIVE FOR DELETE TO app_user USING ((( SELECT app.current_member_role() AS current_member_role) = ANY (ARRAY['owner'::text, 'admin'::text])));

-- + policy memberships_admins_insert on app.memberships
CREATE POLICY memberships_admins_insert ON app.memberships AS RESTRICTIVE FOR INSERT TO app_user WITH CHECK ((( SELECT app.current_member_role() AS current_member_role) = ANY (ARRAY['owner'::text, 'admin'::text])));

-- + policy memberships_admins_update on app.memberships
CREATE POLICY memberships_admins_update ON app.memberships AS RESTRICTIVE FOR UPDATE TO app_user USING ((( SELECT app.current_member_role() AS current_member_role) = ANY (ARRAY['owner'::text, 'admin'::text])));

-- + policy tenant_isolation on app.memberships
CREATE POLICY tenant_isolation ON app.memberships AS PERMISSIVE FOR ALL TO app_user USING ((tenant_id = ( SELECT app.current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT app.current_tenant_id() AS current_tenant_id)));

-- + policy projects_owner_deletes on app.projects
CREATE POLICY projects_owner_deletes ON app.projects AS RESTRICTIVE FOR DELETE TO app_user USING (((owner_id = ( SELECT app.current_user_id() AS current_user_id)) OR (( SELECT app.current_member_role() AS current_member_role) = ANY (ARRAY['owner'::text, 'admin'::text]))));

-- + policy tenant_isolation on app.projects
CREATE POLICY tenant_isolation ON app.projects AS PERMISSIVE FOR ALL TO app_user USING ((tenant_id = ( SELECT app.current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT app.current_tenant_id() AS current_tenant_id)));

-- + policy tasks_assignee_updates on app.tasks
CREATE POLICY tasks_assignee_updates ON app.tasks AS RESTRICTIVE FOR UPDATE TO app_user USING (((assignee_id IS NULL) OR (assignee_id = ( SELECT app.current_user_id() AS current_user_id)) OR (( SELECT app.current_member_role() AS current_member_role) = ANY (ARRAY['owner'::text, 'admin'::text]))));

-- + policy tenant_isolation on app.tasks
CREATE POLICY tenant_isolation ON app.tasks AS PERMISSIVE FOR ALL TO app_user USING ((tenant_id = ( SELECT app.current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT app.current_tenant_id() AS current_tenant_id)));

-- + policy tenant_isolation on app.tenants
CREATE POLICY tenant_isolation ON app.tenants AS PERMISSIVE FOR ALL TO app_user USING ((id = ( SELECT app.current_tenant_id() AS current_tenant_id))) WITH CHECK ((id = ( SELECT app.current_tenant_id() AS current_tenant_id)));

-- + policy users_update_self on app.users
CREATE POLICY users_update_self ON app.users AS PERMISSIVE FOR UPDATE TO app_user USING ((id = ( SELECT app.current_user_id() AS current_user_id)));

-- + policy users_visible_in_tenant on app.users
CREATE POLICY users_visible_in_tenant ON app.users AS PERMISSIVE FOR SELECT TO app_user USING (((id = ( SELECT app.current_user_id() AS current_user_id)) OR (id IN ( SELECT m.user_id
   FROM app.memberships m))));

-- + trigger audit_trail on app.invoices
CREATE TRIGGER audit_trail AFTER INSERT OR DELETE OR UPDATE ON app.invoices FOR EACH ROW EXECUTE FUNCTION app.audit_log_record('tenant_id', '["id"]', '["tenant_id","id","number","amount_cents","status","issued_on"]');

-- + trigger audit_trail on app.projects
CREATE TRIGGER audit_trail AFTER INSERT OR DELETE OR UPDATE ON app.projects FOR EACH ROW EXECUTE FUNCTION app.audit_log_record('tenant_id', '["id"]', '["tenant_id","id","name","owner_id","archived","created_at"]');

-- + trigger audit_trail on app.tasks
CREATE TRIGGER audit_trail AFTER INSERT OR DELETE OR UPDATE ON app.tasks FOR EACH ROW EXECUTE FUNCTION app.audit_log_record('tenant_id', '["id"]', '["tenant_id","id","project_id","title","status","assignee_id","due_on"]');

-- + schema app
GRANT USAGE ON SCHEMA app TO app_user;

-- + function app.audit_log_record()
REVOKE ALL ON FUNCTION app.audit_log_record() FROM PUBLIC;

-- + function app.current_member_role()
GRANT EXECUTE ON FUNCTION app.current_member_role() TO PUBLIC;

-- + function app.current_tenant_id()
GRANT EXECUTE ON FUNCTION app.current_tenant_id() TO PUBLIC;

-- + function app.current_user_id()
GRANT EXECUTE ON FUNCTION app.current_user_id() TO PUBLIC;

-- + grant SELECT on table app.audit_log to app_user
GRANT SELECT ON TABLE app.audit_log TO app_user;

-- + grant SELECT on table app.invoices to app_user
GRANT SELECT ON TABLE app.invoices TO app_user;

-- + grant INSERT on table app.invoices to app_user
GRANT INSERT ON TABLE app.invoices TO app_user;

-- + grant UPDATE on table app.invoices to app_user
GRANT UPDATE ON TABLE app.invoices TO app_user;

-- + grant DELETE on table app.invoices to app_user
GRANT DELETE ON TABLE app.invoices TO app_user;

-- + grant SELECT on table app.memberships to app_user
GRANT SELECT ON TABLE app.memberships TO app_user;

-- + grant INSERT on table app.memberships to app_user
GRANT INSERT ON TABLE app.memberships TO app_user;

-- + grant UPDATE on table app.memberships to app_user
GRANT UPDATE ON TABLE app.memberships TO app_user;

-- + grant DELETE on table app.memberships to app_user
GRANT DELETE ON TABLE app.memberships TO app_user;

-- + grant SELECT on table app.plans to app_user
GRANT SELECT ON TABLE app.plans TO app_user;

-- + grant SELECT on table app.projects to app_user
GRANT SELECT ON TABLE app.projects TO app_user;

-- + grant INSERT on table app.projects to app_user
GRANT INSERT ON TABLE app.projects TO app_user;

-- + grant UPDATE on table app.projects to app_user
GRANT UPDATE ON TABLE app.projects TO app_user;

-- + grant DELETE on table app.projects to app_user
GRANT DELETE ON TABLE app.projects TO app_user;

-- + grant SELECT on table app.tasks to app_user
GRANT SELECT ON TABLE app.tasks TO app_user;

-- + grant INSERT on table app.tasks to app_user
GRANT INSERT ON TABLE app.tasks TO app_user;

-- + grant UPDATE on table app.tasks to app_user
GRANT UPDATE ON TABLE app.tasks TO app_user;

-- + grant DELETE on table app.tasks to app_user
GRANT DELETE ON TABLE app.tasks TO app_user;

-- + grant SELECT on table app.tenants to app_user
GRANT SELECT ON TABLE app.tenants TO app_user;

-- + grant UPDATE on table app.tenants to app_user
GRANT UPDATE ON TABLE app.tenants TO app_user;

-- + grant SELECT on table app.users to app_user
GRANT SELECT ON TABLE app.users TO app_user;

-- + grant UPDATE on table app.users to app_user
GRANT UPDATE ON TABLE app.users TO app_user;

-- + schema app
COMMENT ON SCHEMA app IS 'Application data; every tenant table is isolated by row-level security.';

-- + function app.audit_log_record()
COMMENT ON FUNCTION app.audit_log_record() IS 'Writes the audit trail app.audit_log: run by the audited tables'' triggers only.';

-- + function app.current_member_role()
COMMENT ON FUNCTION app.current_member_role() IS 'The caller''s role (owner, admin, member) in the current tenant.';

-- + function app.current_tenant_id()
COMMENT ON FUNCTION app.current_tenant_id() IS 'The tenant of the current request, or NULL when none is set.';

-- + function app.current_user_id()
COMMENT ON FUNCTION app.current_user_id() IS 'The user of the current request, or NULL when none is set.';

-- + table app.audit_log
COMMENT ON TABLE app.audit_log IS 'Audit trail written by rlsctl''s triggers; append-only. Retention: kept for 400 days';

-- + table app.invoices
COMMENT ON TABLE app.invoices IS 'Billing documents; only tenant owners and admins may see them.';

-- + table app.memberships
COMMENT ON TABLE app.memberships IS 'Who belongs to which tenant, and with which role.';

-- + table app.tenants
COMMENT ON TABLE app.tenants IS 'One row per customer organisation.';
