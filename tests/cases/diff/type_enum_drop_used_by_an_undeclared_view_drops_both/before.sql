create schema app;
create type app.member_role as enum ('owner', 'member');
create view app.roles as select 'owner'::app.member_role as role;
