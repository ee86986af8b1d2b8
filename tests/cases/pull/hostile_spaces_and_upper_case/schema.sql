-- A schema, tables, columns and a role with spaces and upper case.
do $$ begin create role "App User" nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema "App Data";
grant usage on schema "App Data" to "App User";
create table "App Data"."Customer Accounts" (
    "Account ID" int primary key,
    "Display Name" text not null,
    "CamelCase" text,
    lower_case text
);
create table "App Data"."Orders" (
    "ID" int primary key,
    "Account ID" int not null references "App Data"."Customer Accounts" ("Account ID"),
    "Total" numeric(10, 2)
);
create index "Orders By Account" on "App Data"."Orders" ("Account ID");
alter table "App Data"."Orders" enable row level security;
create policy "Account Owners" on "App Data"."Orders" for select to "App User" using ("Total" > 0);
grant select on "App Data"."Customer Accounts", "App Data"."Orders" to "App User";
create view "App Data"."Big Orders" as select "ID", "Total" from "App Data"."Orders" where "Total" > 100;
