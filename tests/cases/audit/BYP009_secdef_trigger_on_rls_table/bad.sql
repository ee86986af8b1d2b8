create table app.docs (id int generated always as identity primary key, tenant_id text not null, email text, secret text, is_public boolean not null default false);
alter table app.docs enable row level security; alter table app.docs force row level security;
create policy sel on app.docs for select to app_user using (tenant_id = (select current_setting('app.tenant_id', true)));
grant select, insert, update, delete on app.docs to app_user;
reset role;
-- Copies the secret of any tenant's row with the same email into the caller's new row.
create function app.trg() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  new.secret := (select d.secret from app.docs d where d.email = new.email limit 1);
  return new;
end $$;
create trigger t before insert on app.docs for each row execute function app.trg();
