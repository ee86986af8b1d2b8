create schema app;
create table app.docs (id int primary key, owner text not null, archived boolean not null default false, n int not null);
alter table app.docs enable row level security;
alter table app.docs force row level security;
create policy own_rows on app.docs AS PERMISSIVE FOR ALL TO auditor, app_user
  USING ( ( owner = CURRENT_USER ) AND ( NOT archived ) )
  WITH CHECK (((n)::integer > (0)::integer));
create policy by_list on app.docs for select to app_user using (owner IN ('a', 'b'));
