-- corpus: requires supabase_stub
--
-- Teamboard — a Supabase project-management starter after its migrations
-- (20240105_init … 20241112_task_labels), squashed into one file as
-- `supabase db dump` would print it. Organizations own workspaces, workspaces
-- own projects and tasks; access is membership rows joined on auth.uid().
-- RLS is enabled (not forced) on every public table but one, as in most
-- Supabase projects: the tables are owned by `postgres`, and clients come in
-- as anon / authenticated through PostgREST.
--
-- Holes are planted on purpose; see README.md ("Known holes").

create extension if not exists citext with schema extensions;
create extension if not exists pg_trgm with schema extensions;

-- ===================================================================== types

create type public.member_role as enum ('owner', 'admin', 'member', 'viewer');
comment on type public.member_role is 'Role of a user in an organization or a workspace; order matters (owner > admin > member > viewer).';

create type public.project_status as enum ('planned', 'active', 'paused', 'archived');
create type public.task_priority as enum ('none', 'low', 'medium', 'high', 'urgent');
create type public.invitation_status as enum ('pending', 'accepted', 'revoked', 'expired');

-- ===================================================================== tables

create table public.profiles (
  id          uuid primary key references auth.users (id) on delete cascade,
  username    extensions.citext unique,
  full_name   text,
  avatar_url  text,
  website     text,
  timezone    text not null default 'UTC',
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  constraint username_length check (char_length(username) between 3 and 39),
  constraint username_format check (username ~ '^[A-Za-z0-9_]+$')
);
comment on table public.profiles is 'Public profile of every auth user, created by the on_auth_user_created trigger.';

create table public.organizations (
  id             uuid primary key default gen_random_uuid(),
  slug           text not null unique,
  name           text not null,
  billing_email  text,
  logo_path      text,
  created_by     uuid references auth.users (id) on delete set null default auth.uid(),
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  constraint organizations_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$')
);

create table public.organization_members (
  organization_id  uuid not null references public.organizations (id) on delete cascade,
  user_id          uuid not null references auth.users (id) on delete cascade,
  role             public.member_role not null default 'member',
  invited_by       uuid references auth.users (id) on delete set null,
  created_at       timestamptz not null default now(),
  primary key (organization_id, user_id)
);
create index organization_members_user_id_idx on public.organization_members (user_id) include (role);
comment on table public.organization_members is 'Who belongs to which organization; every organization policy joins it on auth.uid().';

create table public.workspaces (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references public.organizations (id) on delete cascade,
  slug             text not null,
  name             text not null,
  description      text,
  is_default       boolean not null default false,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (organization_id, slug),
  constraint workspaces_slug_format check (slug ~ '^[a-z0-9-]+$')
);
create index workspaces_organization_id_idx on public.workspaces (organization_id);
create unique index workspaces_one_default_per_org on public.workspaces (organization_id) where is_default;

create table public.workspace_members (
  workspace_id  uuid not null references public.workspaces (id) on delete cascade,
  user_id       uuid not null references auth.users (id) on delete cascade,
  role          public.member_role not null default 'member',
  created_at    timestamptz not null default now(),
  primary key (workspace_id, user_id)
);
create index workspace_members_user_id_idx on public.workspace_members (user_id);

create table public.invitations (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references public.organizations (id) on delete cascade,
  workspace_id     uuid references public.workspaces (id) on delete cascade,
  email            extensions.citext not null,
  role             public.member_role not null default 'member',
  token            text not null unique default encode(extensions.gen_random_bytes(24), 'hex'),
  status           public.invitation_status not null default 'pending',
  invited_by       uuid not null default auth.uid() references auth.users (id) on delete cascade,
  expires_at       timestamptz not null default now() + interval '7 days',
  accepted_at      timestamptz,
  created_at       timestamptz not null default now(),
  constraint invitations_role_not_owner check (role <> 'owner'),
  constraint invitations_accepted_consistent check ((status = 'accepted') = (accepted_at is not null))
);
create index invitations_organization_id_idx on public.invitations (organization_id);
create unique index invitations_one_pending_per_email
  on public.invitations (organization_id, email) where status = 'pending';

create table public.projects (
  id            uuid primary key default gen_random_uuid(),
  workspace_id  uuid not null references public.workspaces (id) on delete cascade,
  key           text not null,
  name          text not null,
  description   text,
  status        public.project_status not null default 'active',
  is_public     boolean not null default false,
  lead_id       uuid references auth.users (id) on delete set null,
  starts_on     date,
  due_on        date,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  unique (workspace_id, key),
  constraint projects_key_format check (key ~ '^[A-Z][A-Z0-9]{1,9}$'),
  constraint projects_dates check (due_on is null or starts_on is null or due_on >= starts_on)
);
create index projects_workspace_id_idx on public.projects (workspace_id) where status <> 'archived';
create index projects_name_trgm_idx on public.projects using gin (name extensions.gin_trgm_ops);

create table public.tasks (
  id            uuid primary key default gen_random_uuid(),
  workspace_id  uuid not null references public.workspaces (id) on delete cascade,
  project_id    uuid not null references public.projects (id) on delete cascade,
  number        integer not null,
  title         text not null,
  description   text,
  priority      public.task_priority not null default 'none',
  assignee_id   uuid references auth.users (id) on delete set null,
  created_by    uuid not null default auth.uid() references auth.users (id),
  due_at        timestamptz,
  completed_at  timestamptz,
  position      double precision not null default 0,
  search        tsvector generated always as (
                  to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(description, ''))
                ) stored,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  unique (project_id, number),
  constraint tasks_title_not_blank check (length(btrim(title)) > 0)
);
create index tasks_workspace_id_idx on public.tasks (workspace_id);
create index tasks_project_board_idx on public.tasks (project_id, position) where completed_at is null;
create index tasks_assignee_due_idx on public.tasks (assignee_id, due_at asc nulls first) where completed_at is null;
create index tasks_search_idx on public.tasks using gin (search);
comment on column public.tasks.workspace_id is 'Denormalised from projects.workspace_id so that policies avoid a join.';

create table public.task_comments (
  id          uuid primary key default gen_random_uuid(),
  task_id     uuid not null references public.tasks (id) on delete cascade,
  author_id   uuid not null default auth.uid() references auth.users (id) on delete cascade,
  body        text not null,
  edited_at   timestamptz,
  created_at  timestamptz not null default now()
);
create index task_comments_task_id_idx on public.task_comments (task_id, created_at desc);

create table public.labels (
  id            uuid primary key default gen_random_uuid(),
  workspace_id  uuid not null references public.workspaces (id) on delete cascade,
  name          text not null,
  color         text not null default '#64748b',
  constraint labels_color_hex check (color ~ '^#[0-9a-fA-F]{6}$')
);
create unique index labels_workspace_name_key on public.labels (workspace_id, lower(name));

-- 20241112_task_labels: the join table added last.
create table public.task_labels (
  task_id   uuid not null references public.tasks (id) on delete cascade,
  label_id  uuid not null references public.labels (id) on delete cascade,
  primary key (task_id, label_id)
);
create index task_labels_label_id_idx on public.task_labels (label_id);

create table public.org_billing (
  organization_id     uuid primary key references public.organizations (id) on delete cascade,
  stripe_customer_id  text unique,
  plan                text not null default 'free',
  seats               integer not null default 3 check (seats > 0),
  card_brand          text,
  card_last4          text check (card_last4 ~ '^[0-9]{4}$'),
  current_period_end  timestamptz,
  updated_at          timestamptz not null default now()
);
comment on table public.org_billing is 'Mirror of the Stripe customer; written by the stripe-webhook edge function as service_role.';

create table public.feature_flags (
  organization_id  uuid not null references public.organizations (id) on delete cascade,
  flag             text not null,
  enabled          boolean not null default false,
  primary key (organization_id, flag)
);

create table public.notifications (
  id          bigserial primary key,
  user_id     uuid not null references auth.users (id) on delete cascade,
  kind        text not null,
  payload     jsonb not null default '{}'::jsonb,
  read_at     timestamptz,
  created_at  timestamptz not null default now()
);
create index notifications_user_unread_idx on public.notifications (user_id, created_at desc) where read_at is null;

create table public.activity_events (
  id            bigint generated always as identity primary key,
  workspace_id  uuid not null references public.workspaces (id) on delete cascade,
  actor_id      uuid references auth.users (id) on delete set null,
  verb          text not null,
  subject_type  text not null,
  subject_id    uuid,
  data          jsonb,
  created_at    timestamptz not null default now()
);
create index activity_events_workspace_idx on public.activity_events (workspace_id, created_at desc) include (verb);

-- ===================================================================== helpers
-- SECURITY DEFINER so that policies on the membership tables can consult
-- them without recursing into their own policies (42P17). search_path is
-- pinned; they answer only about the caller (auth.uid()).

create function public.is_org_member(p_org uuid) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.organization_members m
    where m.organization_id = p_org and m.user_id = (select auth.uid())
  )
$$;

create function public.has_org_role(p_org uuid, p_min public.member_role) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.organization_members m
    where m.organization_id = p_org and m.user_id = (select auth.uid()) and m.role <= p_min
  )
$$;

create function public.is_workspace_member(p_workspace uuid) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.workspace_members m
    where m.workspace_id = p_workspace and m.user_id = (select auth.uid())
  )
$$;

-- Overload with a minimum role (owner < admin < member < viewer in enum order).
create function public.is_workspace_member(p_workspace uuid, p_min public.member_role) returns boolean
  language sql stable security definer set search_path = ''
as $$
  select exists (
    select 1 from public.workspace_members m
    where m.workspace_id = p_workspace and m.user_id = (select auth.uid()) and m.role <= p_min
  )
$$;

comment on function public.is_org_member(uuid) is 'True when the calling user belongs to the organization. Used by RLS policies.';

-- ===================================================================== triggers

create function public.set_updated_at() returns trigger
  language plpgsql
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger profiles_updated_at before update on public.profiles
  for each row execute function public.set_updated_at();
create trigger organizations_updated_at before update on public.organizations
  for each row execute function public.set_updated_at();
create trigger workspaces_updated_at before update on public.workspaces
  for each row execute function public.set_updated_at();
create trigger projects_updated_at before update on public.projects
  for each row execute function public.set_updated_at();
create trigger tasks_updated_at before update on public.tasks
  for each row execute function public.set_updated_at();

-- A profile row for every new auth user (Supabase's documented pattern).
create function public.handle_new_user() returns trigger
  language plpgsql security definer set search_path = ''
as $$
begin
  insert into public.profiles (id, full_name, avatar_url)
  values (new.id, new.raw_user_meta_data ->> 'full_name', new.raw_user_meta_data ->> 'avatar_url');
  return new;
end
$$;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function public.handle_new_user();

-- The creator of an organization becomes its owner and gets a default workspace.
create function public.handle_new_organization() returns trigger
  language plpgsql security definer set search_path = ''
as $$
declare
  v_workspace uuid;
begin
  insert into public.organization_members (organization_id, user_id, role)
  values (new.id, new.created_by, 'owner');
  insert into public.workspaces (organization_id, slug, name, is_default)
  values (new.id, 'general', 'General', true)
  returning id into v_workspace;
  insert into public.workspace_members (workspace_id, user_id, role)
  values (v_workspace, new.created_by, 'owner');
  return new;
end
$$;

create trigger on_organization_created after insert on public.organizations
  for each row when (new.created_by is not null)
  execute function public.handle_new_organization();

-- Per-project task numbers (TB-1, TB-2, …) and the denormalised workspace_id.
create function public.tasks_before_insert() returns trigger
  language plpgsql
as $$
begin
  select p.workspace_id into new.workspace_id from public.projects p where p.id = new.project_id;
  select coalesce(max(t.number), 0) + 1 into new.number from public.tasks t where t.project_id = new.project_id;
  return new;
end
$$;

create trigger tasks_number before insert on public.tasks
  for each row execute function public.tasks_before_insert();

-- ===================================================================== RPCs (PostgREST /rpc)

create function public.create_organization(p_name text, p_slug text) returns public.organizations
  language plpgsql security invoker set search_path = ''
as $$
declare
  v_org public.organizations;
begin
  insert into public.organizations (name, slug) values (p_name, p_slug) returning * into v_org;
  return v_org;
end
$$;

-- Change a member's role in an organization (admin screen "Members").
create function public.set_member_role(p_org uuid, p_user uuid, p_role public.member_role) returns void
  language plpgsql security definer set search_path = ''
as $$
begin
  if not exists (
    select 1 from public.organization_members m
    where m.user_id = (select auth.uid()) and m.role in ('owner', 'admin')
  ) then
    raise exception 'only organization admins can change roles' using errcode = '42501';
  end if;
  insert into public.organization_members (organization_id, user_id, role, invited_by)
  values (p_org, p_user, p_role, (select auth.uid()))
  on conflict (organization_id, user_id) do update set role = excluded.role;
end
$$;
comment on function public.set_member_role(uuid, uuid, public.member_role) is 'Assign a role to a user in an organization. Callable by organization owners and admins.';

-- Member list with e-mails for the workspace settings page.
create function public.list_workspace_members(p_workspace uuid)
  returns table (user_id uuid, email text, full_name text, avatar_url text, role public.member_role, joined_at timestamptz)
  language sql stable security definer set search_path = ''
as $$
  select m.user_id, u.email::text, p.full_name, p.avatar_url, m.role, m.created_at
  from public.workspace_members m
  join auth.users u on u.id = m.user_id
  left join public.profiles p on p.id = m.user_id
  where m.workspace_id = p_workspace
  order by m.created_at
$$;

-- Same page, header badge: member count, checked.
create function public.workspace_member_count(p_workspace uuid) returns integer
  language plpgsql stable security definer set search_path = ''
as $$
begin
  if not public.is_workspace_member(p_workspace) then
    raise exception 'not a member of this workspace' using errcode = '42501';
  end if;
  return (select count(*) from public.workspace_members m where m.workspace_id = p_workspace);
end
$$;

-- Accept an invitation by its e-mailed token.
create function public.accept_invitation(p_token text) returns uuid
  language plpgsql security definer set search_path = ''
as $$
declare
  v_inv public.invitations;
begin
  select * into v_inv from public.invitations i
  where i.token = p_token and i.status = 'pending' and i.expires_at > now()
    and i.email = (select auth.jwt() ->> 'email')::extensions.citext
  for update;
  if not found then
    raise exception 'invitation not found or expired' using errcode = 'P0002';
  end if;
  insert into public.organization_members (organization_id, user_id, role, invited_by)
  values (v_inv.organization_id, (select auth.uid()), v_inv.role, v_inv.invited_by)
  on conflict do nothing;
  if v_inv.workspace_id is not null then
    insert into public.workspace_members (workspace_id, user_id, role)
    values (v_inv.workspace_id, (select auth.uid()), v_inv.role)
    on conflict do nothing;
  end if;
  update public.invitations set status = 'accepted', accepted_at = now() where id = v_inv.id;
  return v_inv.organization_id;
end
$$;

-- Search the caller's tasks (invoker: RLS decides).
create function public.search_tasks(p_query text, p_limit integer default 20)
  returns setof public.tasks
  language sql stable
as $$
  select * from public.tasks
  where search @@ websearch_to_tsquery('simple', p_query)
  order by updated_at desc
  limit p_limit
$$;

-- Overload: restrict to one project.
create function public.search_tasks(p_query text, p_project uuid, p_limit integer default 20)
  returns setof public.tasks
  language sql stable
as $$
  select * from public.tasks
  where project_id = p_project and search @@ websearch_to_tsquery('simple', p_query)
  order by updated_at desc
  limit p_limit
$$;

-- The caller's own unread notifications (zero-argument, set-returning, invoker).
create function public.my_unread_notifications() returns setof public.notifications
  language sql stable
as $$
  select * from public.notifications where user_id = (select auth.uid()) and read_at is null
  order by created_at desc
$$;

-- Housekeeping, run nightly by pg_cron as postgres: CALL public.expire_invitations();
create procedure public.expire_invitations(p_grace interval default interval '0')
  language plpgsql
as $$
begin
  update public.invitations set status = 'expired'
  where status = 'pending' and expires_at < now() - p_grace;
  delete from public.notifications where read_at < now() - interval '90 days';
end
$$;

revoke execute on function public.set_member_role(uuid, uuid, public.member_role) from anon;
revoke execute on function public.accept_invitation(text) from anon;

-- ===================================================================== views

create view public.project_overview with (security_invoker = true) as
  select p.id, p.workspace_id, p.key, p.name, p.status, p.due_on,
         count(t.id) filter (where t.completed_at is null) as open_tasks,
         count(t.id) filter (where t.completed_at is not null) as done_tasks,
         max(t.updated_at) as last_activity_at
  from public.projects p
  left join public.tasks t on t.project_id = p.id
  group by p.id;
comment on view public.project_overview is 'Dashboard cards; security_invoker so the caller''s RLS applies.';

-- Org directory for the @-mention picker.
create view public.member_directory as
  select m.organization_id, m.user_id, u.email, p.username, p.full_name, p.avatar_url, m.role
  from public.organization_members m
  join auth.users u on u.id = m.user_id
  left join public.profiles p on p.id = m.user_id;

-- ===================================================================== RLS

alter table public.profiles enable row level security;
alter table public.organizations enable row level security;
alter table public.organization_members enable row level security;
alter table public.workspaces enable row level security;
alter table public.workspace_members enable row level security;
alter table public.invitations enable row level security;
alter table public.projects enable row level security;
alter table public.tasks enable row level security;
alter table public.task_comments enable row level security;
alter table public.labels enable row level security;
alter table public.org_billing enable row level security;
alter table public.feature_flags enable row level security;
alter table public.notifications enable row level security;
alter table public.activity_events enable row level security;

-- profiles: public by design (usernames and avatars appear on public projects).
create policy "Public profiles are viewable by everyone." on public.profiles
  for select to anon, authenticated using (true);
create policy "Users can insert their own profile." on public.profiles
  for insert to authenticated with check ((select auth.uid()) = id);
create policy "Users can update own profile." on public.profiles
  for update to authenticated using ((select auth.uid()) = id);

-- organizations
create policy "Members can view their organizations" on public.organizations
  for select to authenticated using (public.is_org_member(id) or created_by = (select auth.uid()));
create policy "Authenticated users can create organizations" on public.organizations
  for insert to authenticated with check (created_by = (select auth.uid()));
create policy "Admins can update their organization" on public.organizations
  for update to authenticated using (public.has_org_role(id, 'admin'));
create policy "Owners can delete their organization" on public.organizations
  for delete to authenticated using (public.has_org_role(id, 'owner'));

-- organization_members
create policy "Members can view co-members" on public.organization_members
  for select to authenticated using (public.is_org_member(organization_id));
create policy "Admins can add members" on public.organization_members
  for insert to authenticated with check (public.has_org_role(organization_id, 'admin'));
create policy "Admins can change members" on public.organization_members
  for update to authenticated using (public.has_org_role(organization_id, 'admin'));
create policy "Admins can remove members, members can leave" on public.organization_members
  for delete to authenticated
  using (public.has_org_role(organization_id, 'admin') or user_id = (select auth.uid()));

-- workspaces
create policy "Workspace members can view" on public.workspaces
  for select to authenticated using (public.is_workspace_member(id) or public.has_org_role(organization_id, 'admin'));
create policy "Org admins manage workspaces" on public.workspaces
  for all to authenticated
  using (public.has_org_role(organization_id, 'admin'))
  with check (public.has_org_role(organization_id, 'admin'));

-- workspace_members
create policy "Workspace members can view co-members" on public.workspace_members
  for select to authenticated using (public.is_workspace_member(workspace_id));
create policy "Users can join a workspace" on public.workspace_members
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy "Workspace admins manage members" on public.workspace_members
  for update to authenticated using (public.is_workspace_member(workspace_id, 'admin'));
create policy "Workspace admins remove members" on public.workspace_members
  for delete to authenticated using (public.is_workspace_member(workspace_id, 'admin'));

-- invitations
create policy "Org admins manage invitations" on public.invitations
  for all to authenticated
  using (public.has_org_role(organization_id, 'admin'))
  with check (public.has_org_role(organization_id, 'admin') and invited_by = (select auth.uid()));
create policy "Invitees can see their invitations" on public.invitations
  for select to authenticated using (email = ((select auth.jwt()) ->> 'email')::extensions.citext);

-- projects
create policy "Members and the public can view projects" on public.projects
  for select to anon, authenticated
  using (is_public or workspace_id in (
    select m.workspace_id from public.workspace_members m where m.user_id = (select auth.uid())));
create policy "Members can create projects" on public.projects
  for insert to authenticated with check (public.is_workspace_member(workspace_id, 'member'));
create policy "Members can update projects" on public.projects
  for update to authenticated using (public.is_workspace_member(workspace_id, 'member'));
create policy "Admins can delete projects" on public.projects
  for delete to authenticated using (public.is_workspace_member(workspace_id, 'admin'));

-- tasks
create policy "Members can view tasks" on public.tasks
  for select to authenticated
  using (workspace_id in (select m.workspace_id from public.workspace_members m where m.user_id = (select auth.uid())));
create policy "Members can create tasks" on public.tasks
  for insert to authenticated with check (public.is_workspace_member(workspace_id, 'member'));
create policy "Assignee or creator can update tasks" on public.tasks
  for update to authenticated
  using (public.is_workspace_member(workspace_id, 'member'))
  with check (assignee_id = (select auth.uid()) or created_by = (select auth.uid()));
create policy "Members can delete tasks" on public.tasks
  for delete to authenticated using (public.is_workspace_member(workspace_id, 'member'));

-- task_comments
create policy "Members can read comments" on public.task_comments
  for select to authenticated
  using (exists (select 1 from public.tasks t where t.id = task_id));
create policy "Members can comment" on public.task_comments
  for insert to authenticated
  with check (author_id = (select auth.uid()) and exists (select 1 from public.tasks t where t.id = task_id));
create policy "Authors can edit comments" on public.task_comments
  for update to authenticated using (author_id = (select auth.uid()));
create policy "Authors and admins can delete comments" on public.task_comments
  for delete to authenticated
  using (author_id = (select auth.uid())
         or exists (select 1 from public.organization_members m
                    where m.user_id = (select auth.uid()) and m.role in ('owner', 'admin')));

-- labels
create policy "Members use labels" on public.labels
  for all to authenticated
  using (public.is_workspace_member(workspace_id))
  with check (public.is_workspace_member(workspace_id, 'member'));

-- org_billing: the app reads the org from the JWT the client holds.
create policy "Org owners can view billing" on public.org_billing
  for select to authenticated
  using (organization_id = (((select auth.jwt()) -> 'user_metadata' ->> 'organization_id'))::uuid);

-- feature_flags: organization ids stamped into app_metadata by the server.
create policy "Orgs read their feature flags" on public.feature_flags
  for select to authenticated
  using (organization_id::text in (
    select jsonb_array_elements_text((select auth.jwt()) -> 'app_metadata' -> 'organization_ids')));

-- notifications: per user
create policy "Users read own notifications" on public.notifications
  for select to authenticated using (user_id = (select auth.uid()));
create policy "Users mark own notifications read" on public.notifications
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

-- activity_events: append-only from triggers and the app
create policy "Members read activity" on public.activity_events
  for select to authenticated using (public.is_workspace_member(workspace_id));
create policy "Members append activity" on public.activity_events
  for insert to authenticated
  with check (public.is_workspace_member(workspace_id) and actor_id = (select auth.uid()));

comment on policy "Users can join a workspace" on public.workspace_members is 'Join links: /join/<workspace-id>.';

-- ===================================================================== grants
-- The platform's default privileges already granted ALL on every table above
-- to anon, authenticated and service_role. Tighten the obvious ones.
revoke all on public.org_billing from anon;
revoke all on public.invitations from anon;
revoke insert, update, delete, truncate, references, trigger on public.org_billing from authenticated;
-- profiles: users may edit their presentation columns only (not id, created_at).
revoke update on public.profiles from anon, authenticated;
grant update (username, full_name, avatar_url, website, timezone) on public.profiles to authenticated;
grant select on public.member_directory, public.project_overview to authenticated;

-- ===================================================================== storage

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values
  ('avatars', 'avatars', true, 1048576, array['image/png', 'image/jpeg', 'image/webp']),
  ('project-files', 'project-files', false, 52428800, null),
  ('exports', 'exports', false, null, array['text/csv', 'application/zip'])
on conflict (id) do nothing;

-- avatars/<user-id>/avatar.png
create policy "Avatar images are publicly accessible" on storage.objects
  for select to anon, authenticated using (bucket_id = 'avatars');
create policy "Users upload their own avatar" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "Users replace their own avatar" on storage.objects
  for update to authenticated
  using (bucket_id = 'avatars' and owner_id = (select auth.uid())::text);

-- project-files/<workspace-id>/<project-id>/<file>
create policy "Workspace members read project files" on storage.objects
  for select to authenticated
  using (bucket_id = 'project-files'
         and public.is_workspace_member(((storage.foldername(name))[1])::uuid));
create policy "Workspace members upload project files" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'project-files'
              and public.is_workspace_member(((storage.foldername(name))[1])::uuid, 'member'));

-- exports/<organization-id>/<export>.zip, written by the export edge function
create policy "Signed-in users download exports" on storage.objects
  for select to authenticated
  using (bucket_id = 'exports' and (select auth.role()) = 'authenticated');

-- ===================================================================== realtime

alter table public.tasks replica identity full;
alter table public.task_comments replica identity full;
alter publication supabase_realtime add table public.tasks, public.task_comments, public.notifications;
