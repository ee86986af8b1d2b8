create schema app;
create type app.member_role as enum ('owner', 'member');
comment on type app.member_role is 'roles';
create domain app.email as text;
comment on domain app.email is 'mail';
