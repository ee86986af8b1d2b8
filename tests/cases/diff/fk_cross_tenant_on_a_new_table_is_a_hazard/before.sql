SET check_function_bodies = off;
CREATE SCHEMA IF NOT EXISTS app;
CREATE TABLE app.tasks (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL,
    CONSTRAINT tasks_pkey PRIMARY KEY (id)
);
CREATE INDEX tasks_tenant_id_idx ON app.tasks USING btree (tenant_id);
ALTER TABLE app.tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.tasks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.tasks AS PERMISSIVE FOR ALL TO app_user USING (tenant_id = (nullif(current_setting('app.tenant_id', true), '')::uuid)) WITH CHECK (tenant_id = (nullif(current_setting('app.tenant_id', true), '')::uuid));
