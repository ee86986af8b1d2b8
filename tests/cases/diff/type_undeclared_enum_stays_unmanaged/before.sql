create schema app;
create type app.member_role as enum ('owner', 'member');
create type app.status as enum ('open', 'closed');
create domain app.email as text;
