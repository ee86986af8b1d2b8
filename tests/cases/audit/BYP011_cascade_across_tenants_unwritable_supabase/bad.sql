create table public.org_members (org_id uuid not null, user_id uuid not null, primary key (org_id, user_id));
alter table public.org_members enable row level security;
create policy self on public.org_members for select to authenticated using (user_id = (select auth.uid()));
grant select on public.org_members to authenticated;
create table public.projects (id bigint generated always as identity primary key, org_id uuid not null, name text);
alter table public.projects enable row level security;
create policy member on public.projects to authenticated
  using (org_id in (select m.org_id from public.org_members m where m.user_id = (select auth.uid())));
grant select, insert, update, delete on public.projects to authenticated;
create table public.tasks (id bigint generated always as identity primary key, org_id uuid not null, project_id bigint not null, title text);
alter table public.tasks enable row level security;
create policy member on public.tasks to authenticated
  using (org_id in (select m.org_id from public.org_members m where m.user_id = (select auth.uid())));
alter table public.tasks add constraint tasks_project_id_fkey foreign key (project_id) references public.projects (id) on delete cascade;
grant select, insert, update, delete on public.tasks to authenticated;
