do $$ begin
  if not exists (select from pg_roles where rolname = 'Weird Role; x') then create role "Weird Role; x" nologin; end if;
  if not exists (select from pg_roles where rolname = 'select') then create role "select" nologin; end if;
end $$;
create schema app;
create table app."select" ("from" int primary key, "Order" text not null, "a;b" text);
create table app."Mixed Case" ("x""y" int primary key, "é" text not null);
create table app."semi;colon" (id int primary key, old_name text);
insert into app."semi;colon" values (1, 'kept');
