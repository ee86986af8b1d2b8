do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create function app.me() returns uuid language sql stable
    as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
create table app.countries (code char(2) primary key);
insert into app.countries values ('NZ');
create table app.tenants (id uuid primary key, slug text not null unique,
    -- a check no generator can meet; the existing row meets it
    secret text not null check (md5(secret) = '900150983cd24fb0d6963f7d28e17f72'));
create table app.invoices (id uuid primary key default gen_random_uuid(),
    tenant_id uuid not null references app.tenants (id),
    country char(2) not null references app.countries (code),
    number text not null, note text not null, unique (tenant_id, number));
create function app.check_note() returns trigger language plpgsql as $$
begin
  if new.note not like 'signed:%' then raise exception 'notes must be signed'; end if;
  return new;
end $$;
create trigger invoices_note before insert on app.invoices for each row execute function app.check_note();
insert into app.tenants values ('00000000-0000-4000-8000-00000000000c', 'acme', 'abc');
insert into app.invoices (tenant_id, country, number, note)
    values ('00000000-0000-4000-8000-00000000000c', 'NZ', 'INV-0001', 'signed: ok');
alter table app.invoices enable row level security;
grant select, insert, update, delete on app.invoices to app_user;
create policy invoices_read on app.invoices for select to app_user using (true);
create policy invoices_tenant on app.invoices for all to app_user using (tenant_id = app.tenant());
