-- V2__audit_trail: written by `rlsctl migrate new` from the declaration.
-- Applied by `rlsctl migrate up`, in one transaction with its history row.
--
-- changes:
--   + function public.audit_log_record()
--   + table public.audit_log: row-level security enabled and forced
--   + policy audit_log_append on public.audit_log
--   + policy audit_log_readers on public.audit_log
--   + policy tenant_isolation on public.audit_log
--   + grant SELECT on table public.audit_log to authenticated
--   + trigger audit_trail on public.comments
--   + trigger audit_trail on public.documents
--   + trigger audit_trail on public.workspace_members
-- hazards: none

SET LOCAL lock_timeout = '5s';
SET LOCAL check_function_bodies = off;

-- + function public.audit_log_record()
CREATE OR REPLACE FUNCTION public.audit_log_record() RETURNS trigger LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER SET search_path = '' AS $$declare
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
  insert into public.audit_log (workspace_id, actor, caller, action, table_name, row_key, old_values, new_values)
  values (
    (this_row ->> tg_argv[0])::uuid,
    (auth.uid())::text,
    coalesce(nullif(pg_catalog.current_setting('role'), 'none'), session_user),
    tg_op,
    pg_catalog.format('%I.%I', tg_table_schema, tg_table_name),
    (select coalesce(pg_catalog.jsonb_object_agg(c, this_row -> c), '{}')
       from pg_catalog.unnest(key_columns) as c),
    old_values,
    new_values);
  return null;
end$$;

-- + table public.audit_log
CREATE TABLE public.audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    workspace_id uuid NOT NULL,
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
CREATE INDEX audit_log_workspace_id_recorded_at_idx ON public.audit_log USING btree (workspace_id, recorded_at);
ALTER TABLE public.audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.audit_log FORCE ROW LEVEL SECURITY;

-- + policy audit_log_append on public.audit_log
CREATE POLICY audit_log_append ON public.audit_log AS PERMISSIVE FOR INSERT TO PUBLIC WITH CHECK ((pg_trigger_depth() > 0));

-- + policy audit_log_readers on public.audit_log
CREATE POLICY audit_log_readers ON public.audit_log AS RESTRICTIVE FOR SELECT TO authenticated USING (( SELECT private.is_workspace_admin(audit_log.workspace_id) AS is_workspace_admin));

-- + policy tenant_isolation on public.audit_log
CREATE POLICY tenant_isolation ON public.audit_log AS PERMISSIVE FOR ALL TO authenticated USING ((workspace_id IN ( SELECT private.my_workspace_ids() AS my_workspace_ids))) WITH CHECK ((workspace_id IN ( SELECT private.my_workspace_ids() AS my_workspace_ids)));

-- + trigger audit_trail on public.comments
CREATE TRIGGER audit_trail AFTER INSERT OR DELETE OR UPDATE ON public.comments FOR EACH ROW EXECUTE FUNCTION public.audit_log_record('workspace_id', '["id"]', '["workspace_id","id","document_id","author_id","body","updated_at"]');

-- + trigger audit_trail on public.documents
CREATE TRIGGER audit_trail AFTER INSERT OR DELETE OR UPDATE ON public.documents FOR EACH ROW EXECUTE FUNCTION public.audit_log_record('workspace_id', '["id"]', '["workspace_id","id","title","body","owner_id","created_at","updated_at"]');

-- + trigger audit_trail on public.workspace_members
CREATE TRIGGER audit_trail AFTER INSERT OR DELETE OR UPDATE ON public.workspace_members FOR EACH ROW EXECUTE FUNCTION public.audit_log_record('workspace_id', '["workspace_id","user_id"]', '["workspace_id","user_id","role"]');

-- + function public.audit_log_record()
REVOKE ALL ON FUNCTION public.audit_log_record() FROM PUBLIC;

-- + grant SELECT on table public.audit_log to authenticated
GRANT SELECT ON TABLE public.audit_log TO authenticated;

-- + function public.audit_log_record()
COMMENT ON FUNCTION public.audit_log_record() IS 'Writes the audit trail public.audit_log: run by the audited tables'' triggers only.';

-- + table public.audit_log
COMMENT ON TABLE public.audit_log IS 'Audit trail written by rlsctl''s triggers; append-only. Retention: kept for 90 days';
