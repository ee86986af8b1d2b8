-- Reserved and unreserved keywords as schema, table, column, policy and role names.
do $$ begin create role "user" nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema "select";
grant usage on schema "select" to "user";
create table "select"."order" (
    "from" int primary key,
    "where" text,
    "group" text,
    "default" text default 'default',
    "check" boolean not null default true,
    "table" text,
    "primary" int,
    "user" name default current_user
);
create table "select"."user" (
    "id" int primary key,
    "order" int references "select"."order" ("from")
);
alter table "select"."order" enable row level security;
create policy "all" on "select"."order" for all to "user" using ("check") with check ("check");
create policy "select" on "select"."order" for select to "user" using ("user" = current_user);
create function "select"."end"("limit" int) returns int language sql immutable as $$ select "limit" + 1 $$;
grant select, insert on "select"."order" to "user";
