-- V1__init: written by `rlsctl migrate new` from the declaration.
-- Applied by `rlsctl migrate up`, in one transaction with its history row.
--
-- changes:
--   + schema app
--   + function app.current_member_role()
--   + function app.current_tenant_id()
--   + function app.current_user_id()
--   + table app.audit_log: row-level security enabled and forced
--   + policy tenant_isolation on app.audit_log
--   + grant SELECT on table app.audit_log to app_user
--   + grant INSERT on table app.audit_log to app_user
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
-- hazards: none

SET LOCAL lock_timeout = '5s';
SET LOCAL check_function_bodies = off;

-- + schema app
CREATE SCHEMA app;

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
    tenant_id uuid NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    actor_id uuid,
    action text NOT NULL,
    target text,
    at timestamp with time zone NOT NULL DEFAULT now(),
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

-- + table app.audit_log
ALTER TABLE app.audit_log ADD CONSTRAINT audit_log_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id);

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
CREATE INDEX audit_log_tenant_id_at_idx ON app.audit_log USING btree (tenant_id, at);

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

-- + schema app
GRANT USAGE ON SCHEMA app TO app_user;

-- + function app.current_member_role()
GRANT EXECUTE ON FUNCTION app.current_member_role() TO PUBLIC;

-- + function app.current_tenant_id()
GRANT EXECUTE ON FUNCTION app.current_tenant_id() TO PUBLIC;

-- + function app.current_user_id()
GRANT EXECUTE ON FUNCTION app.current_user_id() TO PUBLIC;

-- + grant SELECT on table app.audit_log to app_user
GRANT SELECT ON TABLE app.audit_log TO app_user;

-- + grant INSERT on table app.audit_log to app_user
GRANT INSERT ON TABLE app.audit_log TO app_user;

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

-- + function app.current_member_role()
COMMENT ON FUNCTION app.current_member_role() IS 'The caller''s role (owner, admin, member) in the current tenant.';

-- + function app.current_tenant_id()
COMMENT ON FUNCTION app.current_tenant_id() IS 'The tenant of the current request, or NULL when none is set.';

-- + function app.current_user_id()
COMMENT ON FUNCTION app.current_user_id() IS 'The user of the current request, or NULL when none is set.';

-- + table app.audit_log
COMMENT ON TABLE app.audit_log IS 'Append-only record of who did what.';

-- + table app.invoices
COMMENT ON TABLE app.invoices IS 'Billing documents; only tenant owners and admins may see them.';

-- + table app.memberships
COMMENT ON TABLE app.memberships IS 'Who belongs to which tenant, and with which role.';

-- + table app.tenants
COMMENT ON TABLE app.tenants IS 'One row per customer organisation.';
