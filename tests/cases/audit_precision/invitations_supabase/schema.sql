-- Invitations accepted by the invited address; a second RPC accepts any invitation by id.
create table public.organizations (id uuid primary key default gen_random_uuid(), name text not null);
create table public.memberships (org_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null, role text not null default 'member', primary key (org_id, user_id));
create index on public.memberships (user_id);
create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  email text not null,
  accepted_at timestamptz);
create index on public.invitations (org_id);
create index on public.invitations (email);
alter table public.organizations enable row level security;
alter table public.memberships enable row level security;
alter table public.invitations enable row level security;
create policy org_read on public.organizations for select to authenticated
  using (id in (select m.org_id from public.memberships m where m.user_id = (select auth.uid())));
create policy own_memberships on public.memberships for select to authenticated using (user_id = (select auth.uid()));
create policy invited on public.invitations for select to authenticated using (email = (select auth.jwt() ->> 'email'));
revoke all on public.organizations, public.memberships, public.invitations from anon, authenticated;
grant select on public.organizations, public.memberships, public.invitations to authenticated;

-- Accepts an invitation addressed to the caller's email: scoped by the caller.
create function public.accept_invitation(p_invitation uuid) returns void language plpgsql security definer
  set search_path = '' as $$
declare
  v_org uuid;
begin
  select i.org_id into v_org from public.invitations i
   where i.id = p_invitation and i.email = (auth.jwt() ->> 'email') and i.accepted_at is null;
  if v_org is null then
    raise exception 'no such invitation' using errcode = 'P0002';
  end if;
  update public.invitations set accepted_at = now() where id = p_invitation and email = (auth.jwt() ->> 'email');
  insert into public.memberships (org_id, user_id) values (v_org, auth.uid ());
end $$;

-- The hole: joins any organization given an invitation id, whoever was invited.
create function public.join_by_invitation(p_invitation uuid) returns void language plpgsql security definer
  set search_path = '' as $$
declare
  v_org uuid;
begin
  select i.org_id into v_org from public.invitations i where i.id = p_invitation;
  insert into public.memberships (org_id, user_id) values (v_org, auth.uid());
end $$;
