create schema app;
create type app.member_role as enum ('owner', 'member');
