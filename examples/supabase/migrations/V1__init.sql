-- V1__init: written by `rlsctl migrate new` from the declaration.
-- Applied by `rlsctl migrate up`, in one transaction with its history row.
--
-- changes:
--   + schema private
--   + grant USAGE on schema public to anon
--   + grant USAGE on schema public to authenticated
--   + type public.org_role: enum
--   + type public.workspace_role: enum
--   + function private.handle_new_user()
--   + function private.is_org_admin(org uuid)
--   + function private.is_workspace_admin(workspace uuid)
--   + function private.my_org_ids()
--   + function private.my_workspace_ids()
--   + function private.set_updated_at()
--   + table public.comments: row-level security enabled and forced
--   + policy comments_author_delete on public.comments
--   + policy comments_author_update on public.comments
--   + policy tenant_isolation on public.comments
--   + grant SELECT on table public.comments to authenticated
--   + grant INSERT on table public.comments to authenticated
--   + grant UPDATE on table public.comments to authenticated
--   + grant DELETE on table public.comments to authenticated
--   + table public.documents: row-level security enabled and forced
--   + policy documents_owner_delete on public.documents
--   + policy documents_owner_update on public.documents
--   + policy tenant_isolation on public.documents
--   + grant SELECT on table public.documents to authenticated
--   + grant INSERT on table public.documents to authenticated
--   + grant UPDATE on table public.documents to authenticated
--   + grant DELETE on table public.documents to authenticated
--   + table public.organization_members: row-level security enabled and forced
--   + policy org_members_admins_delete on public.organization_members
--   + policy org_members_admins_update on public.organization_members
--   + policy org_members_admins_write on public.organization_members
--   + policy tenant_isolation on public.organization_members
--   + grant SELECT on table public.organization_members to authenticated
--   + grant INSERT on table public.organization_members to authenticated
--   + grant UPDATE on table public.organization_members to authenticated
--   + grant DELETE on table public.organization_members to authenticated
--   + table public.organizations: row-level security enabled and forced
--   + policy organizations_admins_update on public.organizations
--   + policy tenant_isolation on public.organizations
--   + grant SELECT on table public.organizations to authenticated
--   + grant UPDATE on table public.organizations to authenticated
--   + table public.plans
--   + grant SELECT on table public.plans to anon
--   + grant SELECT on table public.plans to authenticated
--   + table public.profiles: row-level security enabled and forced
--   + policy profiles_insert_self on public.profiles
--   + policy profiles_update_self on public.profiles
--   + policy profiles_visible_to_teammates on public.profiles
--   + grant SELECT on table public.profiles to authenticated
--   + grant INSERT on table public.profiles to authenticated
--   + grant UPDATE on table public.profiles to authenticated
--   + table public.workspace_members: row-level security enabled and forced
--   + policy tenant_isolation on public.workspace_members
--   + policy workspace_members_admins_delete on public.workspace_members
--   + policy workspace_members_admins_insert on public.workspace_members
--   + policy workspace_members_admins_update on public.workspace_members
--   + grant SELECT on table public.workspace_members to authenticated
--   + grant INSERT on table public.workspace_members to authenticated
--   + grant UPDATE on table public.workspace_members to authenticated
--   + grant DELETE on table public.workspace_members to authenticated
--   + table public.workspaces: row-level security enabled and forced
--   + policy tenant_isolation on public.workspaces
--   + policy workspaces_admins_delete on public.workspaces
--   + policy workspaces_admins_insert on public.workspaces
--   + grant SELECT on table public.workspaces to authenticated
--   + grant INSERT on table public.workspaces to authenticated
--   + grant UPDATE on table public.workspaces to authenticated
--   + grant DELETE on table public.workspaces to authenticated
--   + publication supabase_realtime
--   + trigger set_updated_at on public.comments
--   + trigger set_updated_at on public.documents
--   + trigger set_updated_at on public.profiles
--   + trigger on_auth_user_created on auth.users
--   + view public.workspace_documents
-- hazards: none

SET LOCAL lock_timeout = '5s';
SET LOCAL check_function_bodies = off;

-- + schema private
CREATE SCHEMA private;

-- + type public.org_role
CREATE TYPE public.org_role AS ENUM ('owner', 'admin', 'member');

-- + type public.workspace_role
CREATE TYPE public.workspace_role AS ENUM ('admin', 'member');

-- + function private.handle_new_user()
CREATE OR REPLACE FUNCTION private.handle_new_user() RETURNS trigger LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER SET search_path = '' AS $$begin
  insert into public.profiles (id, display_name)
  values (new.id, new.raw_user_meta_data ->> 'full_name')
  on conflict (id) do nothing;
  return new;
end
$$;

-- + function private.is_org_admin(org uuid)
CREATE OR REPLACE FUNCTION private.is_org_admin(org uuid) RETURNS boolean LANGUAGE sql STABLE PARALLEL UNSAFE SECURITY DEFINER SET search_path = '' AS $$select exists (
  select 1 from public.organization_members m
   where m.org_id = org and m.user_id = (select auth.uid()) and m.role in ('owner', 'admin'))
$$;

-- + function private.is_workspace_admin(workspace uuid)
CREATE OR REPLACE FUNCTION private.is_workspace_admin(workspace uuid) RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL UNSAFE SECURITY DEFINER SET search_path = '' AS $$begin
  return exists (
    select 1 from public.workspace_members m
     where m.workspace_id = workspace and m.user_id = (select auth.uid()) and m.role = 'admin');
end
$$;

-- + function private.my_org_ids()
CREATE OR REPLACE FUNCTION private.my_org_ids() RETURNS SETOF uuid LANGUAGE sql STABLE PARALLEL UNSAFE SECURITY DEFINER SET search_path = '' AS $$select m.org_id from public.organization_members m where m.user_id = (select auth.uid())$$;

-- + function private.my_workspace_ids()
CREATE OR REPLACE FUNCTION private.my_workspace_ids() RETURNS SETOF uuid LANGUAGE sql STABLE PARALLEL UNSAFE SECURITY DEFINER SET search_path = '' AS $$select m.workspace_id from public.workspace_members m where m.user_id = (select auth.uid())$$;

-- + function private.set_updated_at()
CREATE OR REPLACE FUNCTION private.set_updated_at() RETURNS trigger LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = '' AS $$begin
  new.updated_at := now();
  return new;
end
$$;

-- + table public.comments
CREATE TABLE public.comments (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    document_id uuid NOT NULL,
    author_id uuid NOT NULL DEFAULT auth.uid(),
    body text NOT NULL,
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT comments_pkey PRIMARY KEY (id)
);

-- + table public.documents
CREATE TABLE public.documents (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    title text NOT NULL,
    body text NOT NULL DEFAULT ''::text,
    owner_id uuid NOT NULL DEFAULT auth.uid(),
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT documents_pkey PRIMARY KEY (id),
    CONSTRAINT documents_workspace_id_id_key UNIQUE (workspace_id, id)
);

-- + table public.organization_members
CREATE TABLE public.organization_members (
    org_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role public.org_role NOT NULL DEFAULT 'member'::public.org_role,
    CONSTRAINT organization_members_pkey PRIMARY KEY (org_id, user_id)
);

-- + table public.organizations
CREATE TABLE public.organizations (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    plan_id text NOT NULL DEFAULT 'free'::text,
    created_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT organizations_pkey PRIMARY KEY (id)
);

-- + table public.plans
CREATE TABLE public.plans (
    id text NOT NULL,
    name text NOT NULL,
    monthly_price_cents integer NOT NULL,
    CONSTRAINT plans_monthly_price_cents_check CHECK ((monthly_price_cents >= 0)),
    CONSTRAINT plans_pkey PRIMARY KEY (id)
);

-- + table public.profiles
CREATE TABLE public.profiles (
    id uuid NOT NULL,
    display_name text,
    avatar_url text,
    updated_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT profiles_pkey PRIMARY KEY (id)
);

-- + table public.workspace_members
CREATE TABLE public.workspace_members (
    workspace_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role public.workspace_role NOT NULL DEFAULT 'member'::public.workspace_role,
    CONSTRAINT workspace_members_pkey PRIMARY KEY (workspace_id, user_id)
);

-- + table public.workspaces
CREATE TABLE public.workspaces (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    org_id uuid NOT NULL,
    name text NOT NULL,
    CONSTRAINT workspaces_pkey PRIMARY KEY (id)
);

-- + table public.comments
ALTER TABLE public.comments ADD CONSTRAINT comments_workspace_id_document_id_fkey FOREIGN KEY (workspace_id, document_id) REFERENCES public.documents(workspace_id, id) ON DELETE CASCADE;
ALTER TABLE public.comments ADD CONSTRAINT comments_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id);

-- + table public.documents
ALTER TABLE public.documents ADD CONSTRAINT documents_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id);

-- + table public.organization_members
ALTER TABLE public.organization_members ADD CONSTRAINT organization_members_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.organizations(id);

-- + table public.organizations
ALTER TABLE public.organizations ADD CONSTRAINT organizations_plan_id_fkey FOREIGN KEY (plan_id) REFERENCES public.plans(id);

-- + table public.workspace_members
ALTER TABLE public.workspace_members ADD CONSTRAINT workspace_members_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES public.workspaces(id);

-- + table public.workspaces
ALTER TABLE public.workspaces ADD CONSTRAINT workspaces_org_id_fkey FOREIGN KEY (org_id) REFERENCES public.organizations(id);

-- + table public.comments
CREATE INDEX comments_workspace_id_document_id_idx ON public.comments USING btree (workspace_id, document_id);

-- + table public.organization_members
CREATE INDEX organization_members_user_id_idx ON public.organization_members USING btree (user_id);

-- + table public.workspace_members
CREATE INDEX workspace_members_user_id_idx ON public.workspace_members USING btree (user_id);

-- + table public.workspaces
CREATE INDEX workspaces_org_id_idx ON public.workspaces USING btree (org_id);

-- + view public.workspace_documents
CREATE VIEW public.workspace_documents WITH (security_invoker = 'true') AS
 SELECT d.workspace_id,
    d.id,
    d.title,
    d.created_at,
    p.display_name AS owner_name
   FROM public.documents d
     LEFT JOIN public.profiles p ON p.id = d.owner_id;

-- + table public.comments
ALTER TABLE public.comments ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.comments FORCE ROW LEVEL SECURITY;

-- + table public.documents
ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.documents FORCE ROW LEVEL SECURITY;

-- + table public.organization_members
ALTER TABLE public.organization_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.organization_members FORCE ROW LEVEL SECURITY;

-- + table public.organizations
ALTER TABLE public.organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.organizations FORCE ROW LEVEL SECURITY;

-- + table public.profiles
ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.profiles FORCE ROW LEVEL SECURITY;

-- + table public.workspace_members
ALTER TABLE public.workspace_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.workspace_members FORCE ROW LEVEL SECURITY;

-- + table public.workspaces
ALTER TABLE public.workspaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.workspaces FORCE ROW LEVEL SECURITY;

-- + policy comments_author_delete on public.comments
CREATE POLICY comments_author_delete ON public.comments AS RESTRICTIVE FOR DELETE TO authenticated USING ((author_id = ( SELECT auth.uid() AS uid)));

-- + policy comments_author_update on public.comments
CREATE POLICY comments_author_update ON public.comments AS RESTRICTIVE FOR UPDATE TO authenticated USING ((author_id = ( SELECT auth.uid() AS uid)));

-- + policy tenant_isolation on public.comments
CREATE POLICY tenant_isolation ON public.comments AS PERMISSIVE FOR ALL TO authenticated USING ((workspace_id IN ( SELECT private.my_workspace_ids() AS my_workspace_ids))) WITH CHECK ((workspace_id IN ( SELECT private.my_workspace_ids() AS my_workspace_ids)));

-- + policy documents_owner_delete on public.documents
CREATE POLICY documents_owner_delete ON public.documents AS RESTRICTIVE FOR DELETE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));

-- + policy documents_owner_update on public.documents
CREATE POLICY documents_owner_update ON public.documents AS RESTRICTIVE FOR UPDATE TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid)));

-- + policy tenant_isolation on public.documents
CREATE POLICY tenant_isolation ON public.documents AS PERMISSIVE FOR ALL TO authenticated USING ((workspace_id IN ( SELECT private.my_workspace_ids() AS my_workspace_ids))) WITH CHECK ((workspace_id IN ( SELECT private.my_workspace_ids() AS my_workspace_ids)));

-- + policy org_members_admins_delete on public.organization_members
CREATE POLICY org_members_admins_delete ON public.organization_members AS RESTRICTIVE FOR DELETE TO authenticated USING (private.is_org_admin(org_id));

-- + policy org_members_admins_update on public.organization_members
CREATE POLICY org_members_admins_update ON public.organization_members AS RESTRICTIVE FOR UPDATE TO authenticated USING (private.is_org_admin(org_id));

-- + policy org_members_admins_write on public.organization_members
CREATE POLICY org_members_admins_write ON public.organization_members AS RESTRICTIVE FOR INSERT TO authenticated WITH CHECK (private.is_org_admin(org_id));

-- + policy tenant_isolation on public.organization_members
CREATE POLICY tenant_isolation ON public.organization_members AS PERMISSIVE FOR ALL TO authenticated USING ((org_id IN ( SELECT private.my_org_ids() AS my_org_ids))) WITH CHECK ((org_id IN ( SELECT private.my_org_ids() AS my_org_ids)));

-- + policy organizations_admins_update on public.organizations
CREATE POLICY organizations_admins_update ON public.organizations AS RESTRICTIVE FOR UPDATE TO authenticated USING (private.is_org_admin(id));

-- + policy tenant_isolation on public.organizations
CREATE POLICY tenant_isolation ON public.organizations AS PERMISSIVE FOR ALL TO authenticated USING ((id IN ( SELECT private.my_org_ids() AS my_org_ids))) WITH CHECK ((id IN ( SELECT private.my_org_ids() AS my_org_ids)));

-- + policy profiles_insert_self on public.profiles
CREATE POLICY profiles_insert_self ON public.profiles AS PERMISSIVE FOR INSERT TO authenticated WITH CHECK ((id = ( SELECT auth.uid() AS uid)));

-- + policy profiles_update_self on public.profiles
CREATE POLICY profiles_update_self ON public.profiles AS PERMISSIVE FOR UPDATE TO authenticated USING ((id = ( SELECT auth.uid() AS uid)));

-- + policy profiles_visible_to_teammates on public.profiles
CREATE POLICY profiles_visible_to_teammates ON public.profiles AS PERMISSIVE FOR SELECT TO authenticated USING (((id = ( SELECT auth.uid() AS uid)) OR (id IN ( SELECT m.user_id
   FROM public.workspace_members m))));

-- + policy tenant_isolation on public.workspace_members
CREATE POLICY tenant_isolation ON public.workspace_members AS PERMISSIVE FOR ALL TO authenticated USING ((workspace_id IN ( SELECT private.my_workspace_ids() AS my_workspace_ids))) WITH CHECK ((workspace_id IN ( SELECT private.my_workspace_ids() AS my_workspace_ids)));

-- + policy workspace_members_admins_delete on public.workspace_members
CREATE POLICY workspace_members_admins_delete ON public.workspace_members AS RESTRICTIVE FOR DELETE TO authenticated USING (private.is_workspace_admin(workspace_id));

-- + policy workspace_members_admins_insert on public.workspace_members
CREATE POLICY workspace_members_admins_insert ON public.workspace_members AS RESTRICTIVE FOR INSERT TO authenticated WITH CHECK (private.is_workspace_admin(workspace_id));

-- + policy workspace_members_admins_update on public.workspace_members
CREATE POLICY workspace_members_admins_update ON public.workspace_members AS RESTRICTIVE FOR UPDATE TO authenticated USING (private.is_workspace_admin(workspace_id));

-- + policy tenant_isolation on public.workspaces
CREATE POLICY tenant_isolation ON public.workspaces AS PERMISSIVE FOR ALL TO authenticated USING ((org_id IN ( SELECT private.my_org_ids() AS my_org_ids))) WITH CHECK ((org_id IN ( SELECT private.my_org_ids() AS my_org_ids)));

-- + policy workspaces_admins_delete on public.workspaces
CREATE POLICY workspaces_admins_delete ON public.workspaces AS RESTRICTIVE FOR DELETE TO authenticated USING (private.is_org_admin(org_id));

-- + policy workspaces_admins_insert on public.workspaces
CREATE POLICY workspaces_admins_insert ON public.workspaces AS RESTRICTIVE FOR INSERT TO authenticated WITH CHECK (private.is_org_admin(org_id));

-- + trigger set_updated_at on public.comments
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.comments FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION private.set_updated_at();

-- + trigger set_updated_at on public.documents
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.documents FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION private.set_updated_at();

-- + trigger set_updated_at on public.profiles
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.profiles FOR EACH ROW EXECUTE FUNCTION private.set_updated_at();

-- + trigger on_auth_user_created on auth.users
CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users FOR EACH ROW EXECUTE FUNCTION private.handle_new_user();

-- + schema private
GRANT USAGE ON SCHEMA private TO authenticated;

-- + grant USAGE on schema public to anon
GRANT USAGE ON SCHEMA public TO anon;

-- + grant USAGE on schema public to authenticated
GRANT USAGE ON SCHEMA public TO authenticated;

-- + function private.handle_new_user()
GRANT EXECUTE ON FUNCTION private.handle_new_user() TO PUBLIC;

-- + function private.is_org_admin(org uuid)
REVOKE ALL ON FUNCTION private.is_org_admin(org uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION private.is_org_admin(org uuid) TO authenticated;

-- + function private.is_workspace_admin(workspace uuid)
REVOKE ALL ON FUNCTION private.is_workspace_admin(workspace uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION private.is_workspace_admin(workspace uuid) TO authenticated;

-- + function private.my_org_ids()
REVOKE ALL ON FUNCTION private.my_org_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION private.my_org_ids() TO authenticated;

-- + function private.my_workspace_ids()
REVOKE ALL ON FUNCTION private.my_workspace_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION private.my_workspace_ids() TO authenticated;

-- + function private.set_updated_at()
GRANT EXECUTE ON FUNCTION private.set_updated_at() TO PUBLIC;

-- + grant SELECT on table public.comments to authenticated
GRANT SELECT ON TABLE public.comments TO authenticated;

-- + grant INSERT on table public.comments to authenticated
GRANT INSERT ON TABLE public.comments TO authenticated;

-- + grant UPDATE on table public.comments to authenticated
GRANT UPDATE ON TABLE public.comments TO authenticated;

-- + grant DELETE on table public.comments to authenticated
GRANT DELETE ON TABLE public.comments TO authenticated;

-- + grant SELECT on table public.documents to authenticated
GRANT SELECT ON TABLE public.documents TO authenticated;

-- + grant INSERT on table public.documents to authenticated
GRANT INSERT ON TABLE public.documents TO authenticated;

-- + grant UPDATE on table public.documents to authenticated
GRANT UPDATE ON TABLE public.documents TO authenticated;

-- + grant DELETE on table public.documents to authenticated
GRANT DELETE ON TABLE public.documents TO authenticated;

-- + grant SELECT on table public.organization_members to authenticated
GRANT SELECT ON TABLE public.organization_members TO authenticated;

-- + grant INSERT on table public.organization_members to authenticated
GRANT INSERT ON TABLE public.organization_members TO authenticated;

-- + grant UPDATE on table public.organization_members to authenticated
GRANT UPDATE ON TABLE public.organization_members TO authenticated;

-- + grant DELETE on table public.organization_members to authenticated
GRANT DELETE ON TABLE public.organization_members TO authenticated;

-- + grant SELECT on table public.organizations to authenticated
GRANT SELECT ON TABLE public.organizations TO authenticated;

-- + grant UPDATE on table public.organizations to authenticated
GRANT UPDATE ON TABLE public.organizations TO authenticated;

-- + grant SELECT on table public.plans to anon
GRANT SELECT ON TABLE public.plans TO anon;

-- + grant SELECT on table public.plans to authenticated
GRANT SELECT ON TABLE public.plans TO authenticated;

-- + grant SELECT on table public.profiles to authenticated
GRANT SELECT ON TABLE public.profiles TO authenticated;

-- + grant INSERT on table public.profiles to authenticated
GRANT INSERT ON TABLE public.profiles TO authenticated;

-- + grant UPDATE on table public.profiles to authenticated
GRANT UPDATE ON TABLE public.profiles TO authenticated;

-- + grant SELECT on table public.workspace_members to authenticated
GRANT SELECT ON TABLE public.workspace_members TO authenticated;

-- + grant INSERT on table public.workspace_members to authenticated
GRANT INSERT ON TABLE public.workspace_members TO authenticated;

-- + grant UPDATE on table public.workspace_members to authenticated
GRANT UPDATE ON TABLE public.workspace_members TO authenticated;

-- + grant DELETE on table public.workspace_members to authenticated
GRANT DELETE ON TABLE public.workspace_members TO authenticated;

-- + grant SELECT on table public.workspaces to authenticated
GRANT SELECT ON TABLE public.workspaces TO authenticated;

-- + grant INSERT on table public.workspaces to authenticated
GRANT INSERT ON TABLE public.workspaces TO authenticated;

-- + grant UPDATE on table public.workspaces to authenticated
GRANT UPDATE ON TABLE public.workspaces TO authenticated;

-- + grant DELETE on table public.workspaces to authenticated
GRANT DELETE ON TABLE public.workspaces TO authenticated;

-- + view public.workspace_documents
GRANT SELECT ON TABLE public.workspace_documents TO authenticated;

-- + schema private
COMMENT ON SCHEMA private IS 'Policy helpers; not exposed through the API.';

-- + type public.org_role
COMMENT ON TYPE public.org_role IS 'role of a member of an organization';

-- + type public.workspace_role
COMMENT ON TYPE public.workspace_role IS 'role of a member of a workspace';

-- + view public.workspace_documents
COMMENT ON VIEW public.workspace_documents IS 'documents with their owner''s display name; RLS of documents and profiles applies';

-- + publication supabase_realtime
CREATE PUBLICATION supabase_realtime FOR TABLE public.comments, public.documents WITH (publish = 'insert, update, delete');
