create table app.docs (id int generated always as identity primary key, tenant_id text not null, email text, secret text, is_public boolean not null default false);
alter table app.docs enable row level security; alter table app.docs force row level security;
create policy sel on app.docs for select to app_user using (tenant_id = (select current_setting('app.tenant_id', true)));
grant select, insert, update, delete on app.docs to app_user;
create table app.doc_log (id bigint generated always as identity primary key, tenant_id text not null, doc_id int, action text);
alter table app.doc_log enable row level security;
create policy log_read on app.doc_log for select to app_user using (tenant_id = (select current_setting('app.tenant_id', true)));
grant select on app.doc_log to app_user;
reset role;
-- Logs every tenant's documents whenever one is inserted.
create function app.log_doc() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into app.doc_log (tenant_id, doc_id, action) select d.tenant_id, d.id, tg_op from app.docs d;
  return new;
end $$;
create trigger log after insert on app.docs for each row execute function app.log_doc();
