-- V1__init: written by `rlsctl migrate new` from the declaration.
-- Applied by `rlsctl migrate up`, in one transaction with its history row.
--
-- changes:
--   + schema private
--   + grant USAGE on schema public to anon
--   + grant USAGE on schema public to authenticated
--   + function private.my_workspace_ids()
--   + table public.notes: row-level security enabled and forced
--   + policy notes_author_delete on public.notes
--   + policy notes_author_update on public.notes
--   + policy tenant_isolation on public.notes
--   + grant SELECT on table public.notes to authenticated
--   + grant INSERT on table public.notes to authenticated
--   + grant UPDATE on table public.notes to authenticated
--   + grant DELETE on table public.notes to authenticated
--   + table public.plans
--   + grant SELECT on table public.plans to anon
--   + grant SELECT on table public.plans to authenticated
--   + table public.workspace_members: row-level security enabled and forced
--   + policy tenant_isolation on public.workspace_members
--   + grant SELECT on table public.workspace_members to authenticated
--   + table public.workspaces: row-level security enabled and forced
--   + policy tenant_isolation on public.workspaces
--   + grant SELECT on table public.workspaces to authenticated
-- hazards: none

SET LOCAL lock_timeout = '5s';
SET LOCAL check_function_bodies = off;

-- + schema private
CREATE SCHEMA private;

-- + function private.my_workspace_ids()
CREATE OR REPLACE FUNCTION private.my_workspace_ids() RETURNS SETOF uuid LANGUAGE sql STABLE PARALLEL UNSAFE SECURITY DEFINER SET search_path = '' AS $$select m.workspace_id from public.workspace_members m where m.user_id = (select auth.uid())$$;

-- + table public.notes
CREATE TABLE public.notes (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    body text NOT NULL,
    author_id uuid NOT NULL DEFAULT auth.uid(),
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT notes_pkey PRIMARY KEY (id)
);

-- + table public.plans
CREATE TABLE public.plans (
    id text NOT NULL,
    name text NOT NULL,
    monthly_price_cents integer NOT NULL,
    CONSTRAINT plans_monthly_price_cents_check CHECK ((monthly_price_cents >= 0)),
    CONSTRAINT plans_pkey PRIMARY KEY (id)
);

-- + table public.workspace_members
CREATE TABLE public.workspace_members (
    workspace_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text NOT NULL DEFAULT 'member'::text,
    CONSTRAINT workspace_members_pkey PRIMARY KEY (workspace_id, user_id),
    CONSTRAINT workspace_members_role_check CHECK ((role = ANY (ARRAY['admin'::text, 'member'::text])))
);

-- + table public.workspaces
CREATE TABLE public.workspaces (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT workspaces_pkey PRIMARY KEY (id)
);

-- + table public.notes
ALTER TABLE public.notes ADD CONSTRAINT notes_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id);

-- + table public.workspace_members
ALTER TABLE public.workspace_members ADD CONSTRAINT workspace_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;
ALTER TABLE public.workspace_members ADD CONSTRAINT workspace_members_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id);

-- + table public.notes
CREATE INDEX notes_workspace_id_idx ON public.notes USING btree (workspace_id);

-- + table public.workspace_members
CREATE INDEX workspace_members_user_id_idx ON public.workspace_members USING btree (user_id);

-- + table public.notes
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.notes FORCE ROW LEVEL SECURITY;

-- + table public.workspace_members
ALTER TABLE public.workspace_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.workspace_members FORCE ROW LEVEL SECURITY;

-- + table public.workspaces
ALTER TABLE public.workspaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.workspaces FORCE ROW LEVEL SECURITY;

-- + policy notes_author_delete on public.notes
CREATE POLICY notes_author_delete ON public.notes AS RESTRICTIVE FOR DELETE TO authenticated USING ((author_id = ( SELECT auth.uid() AS uid)));

-- + policy notes_author_update on public.notes
CREATE POLICY notes_author_update ON public.notes AS RESTRICTIVE FOR UPDATE TO authenticated USING ((author_id = ( SELECT auth.uid() AS uid)));

-- + policy tenant_isolation on public.notes
CREATE POLICY tenant_isolation ON public.notes AS PERMISSIVE FOR ALL TO authenticated USING ((workspace_id IN ( SELECT private.my_workspace_ids() AS my_workspace_ids))) WITH CHECK ((workspace_id IN ( SELECT private.my_workspace_ids() AS my_workspace_ids)));

-- + policy tenant_isolation on public.workspace_members
CREATE POLICY tenant_isolation ON public.workspace_members AS PERMISSIVE FOR ALL TO authenticated USING ((workspace_id IN ( SELECT private.my_workspace_ids() AS my_workspace_ids))) WITH CHECK ((workspace_id IN ( SELECT private.my_workspace_ids() AS my_workspace_ids)));

-- + policy tenant_isolation on public.workspaces
CREATE POLICY tenant_isolation ON public.workspaces AS PERMISSIVE FOR ALL TO authenticated USING ((id IN ( SELECT private.my_workspace_ids() AS my_workspace_ids))) WITH CHECK ((id IN ( SELECT private.my_workspace_ids() AS my_workspace_ids)));

-- + schema private
GRANT USAGE ON SCHEMA private TO authenticated;

-- + grant USAGE on schema public to anon
GRANT USAGE ON SCHEMA public TO anon;

-- + grant USAGE on schema public to authenticated
GRANT USAGE ON SCHEMA public TO authenticated;

-- + function private.my_workspace_ids()
REVOKE ALL ON FUNCTION private.my_workspace_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION private.my_workspace_ids() TO authenticated;

-- + grant SELECT on table public.notes to authenticated
GRANT SELECT ON TABLE public.notes TO authenticated;

-- + grant INSERT on table public.notes to authenticated
GRANT INSERT ON TABLE public.notes TO authenticated;

-- + grant UPDATE on table public.notes to authenticated
GRANT UPDATE ON TABLE public.notes TO authenticated;

-- + grant DELETE on table public.notes to authenticated
GRANT DELETE ON TABLE public.notes TO authenticated;

-- + grant SELECT on table public.plans to anon
GRANT SELECT ON TABLE public.plans TO anon;

-- + grant SELECT on table public.plans to authenticated
GRANT SELECT ON TABLE public.plans TO authenticated;

-- + grant SELECT on table public.workspace_members to authenticated
GRANT SELECT ON TABLE public.workspace_members TO authenticated;

-- + grant SELECT on table public.workspaces to authenticated
GRANT SELECT ON TABLE public.workspaces TO authenticated;

-- + schema private
COMMENT ON SCHEMA private IS 'Policy helpers; not exposed through the API.';
