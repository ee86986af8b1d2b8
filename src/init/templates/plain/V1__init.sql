-- V1__init: written by `rlsctl migrate new` from the declaration.
-- Applied by `rlsctl migrate up`, in one transaction with its history row.
--
-- changes:
--   + schema app
--   + function app.current_tenant_id()
--   + table app.notes: row-level security enabled and forced
--   + policy notes_archived_read_only on app.notes
--   + policy tenant_isolation on app.notes
--   + grant SELECT on table app.notes to app_user
--   + grant INSERT on table app.notes to app_user
--   + grant UPDATE on table app.notes to app_user
--   + grant DELETE on table app.notes to app_user
--   + table app.plans
--   + grant SELECT on table app.plans to app_user
--   + table app.tenants: row-level security enabled and forced
--   + policy tenant_isolation on app.tenants
--   + grant SELECT on table app.tenants to app_user
-- hazards: none

SET LOCAL lock_timeout = '5s';
SET LOCAL check_function_bodies = off;

-- + schema app
CREATE SCHEMA app;

-- + function app.current_tenant_id()
CREATE OR REPLACE FUNCTION app.current_tenant_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL UNSAFE AS $$select nullif(current_setting('app.tenant_id', true), '')::uuid$$;

-- + table app.notes
CREATE TABLE app.notes (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    body text NOT NULL,
    archived boolean NOT NULL DEFAULT false,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT notes_body_not_blank CHECK ((length(btrim(body)) > 0)),
    CONSTRAINT notes_pkey PRIMARY KEY (id)
);

-- + table app.plans
CREATE TABLE app.plans (
    id text NOT NULL,
    name text NOT NULL,
    monthly_price_cents integer NOT NULL,
    CONSTRAINT plans_monthly_price_cents_check CHECK ((monthly_price_cents >= 0)),
    CONSTRAINT plans_pkey PRIMARY KEY (id)
);

-- + table app.tenants
CREATE TABLE app.tenants (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    plan_id text,
    CONSTRAINT tenants_pkey PRIMARY KEY (id)
);

-- + table app.notes
ALTER TABLE app.notes ADD CONSTRAINT notes_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants(id);

-- + table app.tenants
ALTER TABLE app.tenants ADD CONSTRAINT tenants_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES app.plans(id);

-- + table app.notes
CREATE INDEX notes_tenant_id_idx ON app.notes USING btree (tenant_id);
ALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.notes FORCE ROW LEVEL SECURITY;

-- + table app.tenants
ALTER TABLE app.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.tenants FORCE ROW LEVEL SECURITY;

-- + policy notes_archived_read_only on app.notes
CREATE POLICY notes_archived_read_only ON app.notes AS RESTRICTIVE FOR UPDATE TO app_user USING ((NOT archived));

-- + policy tenant_isolation on app.notes
CREATE POLICY tenant_isolation ON app.notes AS PERMISSIVE FOR ALL TO app_user USING ((tenant_id = ( SELECT app.current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT app.current_tenant_id() AS current_tenant_id)));

-- + policy tenant_isolation on app.tenants
CREATE POLICY tenant_isolation ON app.tenants AS PERMISSIVE FOR ALL TO app_user USING ((id = ( SELECT app.current_tenant_id() AS current_tenant_id))) WITH CHECK ((id = ( SELECT app.current_tenant_id() AS current_tenant_id)));

-- + schema app
GRANT USAGE ON SCHEMA app TO app_user;

-- + function app.current_tenant_id()
GRANT EXECUTE ON FUNCTION app.current_tenant_id() TO PUBLIC;

-- + grant SELECT on table app.notes to app_user
GRANT SELECT ON TABLE app.notes TO app_user;

-- + grant INSERT on table app.notes to app_user
GRANT INSERT ON TABLE app.notes TO app_user;

-- + grant UPDATE on table app.notes to app_user
GRANT UPDATE ON TABLE app.notes TO app_user;

-- + grant DELETE on table app.notes to app_user
GRANT DELETE ON TABLE app.notes TO app_user;

-- + grant SELECT on table app.plans to app_user
GRANT SELECT ON TABLE app.plans TO app_user;

-- + grant SELECT on table app.tenants to app_user
GRANT SELECT ON TABLE app.tenants TO app_user;

-- + schema app
COMMENT ON SCHEMA app IS 'Application data; every tenant table is isolated by row-level security.';

-- + function app.current_tenant_id()
COMMENT ON FUNCTION app.current_tenant_id() IS 'The tenant of the current request, or NULL when none is set.';
