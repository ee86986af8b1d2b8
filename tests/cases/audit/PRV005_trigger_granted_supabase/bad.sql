create table public.docs (id int primary key, owner uuid not null, body text);
alter table public.docs enable row level security;
create policy own on public.docs for select to authenticated using (owner = (select auth.uid()));
grant select, insert, update, delete, trigger on public.docs to authenticated;
