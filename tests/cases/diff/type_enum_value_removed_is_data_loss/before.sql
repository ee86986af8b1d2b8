create schema app;
create type app.member_role as enum ('owner', 'admin', 'member');
create table app.members (id int primary key, role app.member_role default 'member');
create index members_role_idx on app.members (role);
insert into app.members values (1, 'admin'), (2, 'owner');
