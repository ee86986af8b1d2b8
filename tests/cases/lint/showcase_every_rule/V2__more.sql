-- rlsctl:allow MIG001 tiny table
create index on projects (tenant_id);
create index projects_name on projects (name);
alter table projects add column created timestamptz default clock_timestamp(), add column n int not null;
alter table projects alter column name set not null, alter column name type varchar(10);
create policy p2 on projects using (true);
grant select on projects to app_user;
drop policy iso on projects;
begin;
create table junk (x int);
-- rlsctl:allow MIG007
drop table old_junk; -- rlsctl:allow MIG999 foo
select 1; -- rlsctl:allow MIG005 nothing here
alter table projects add constraint fk foreign key (id) references x(id), disable row level security, no force row level security;
alter table projects drop column n;
drop table projects;
