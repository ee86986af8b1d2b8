create schema app;
create schema reporting;
create type app.member_role as enum ('owner', 'member');
create view reporting.roles as select 'owner'::app.member_role as role;
