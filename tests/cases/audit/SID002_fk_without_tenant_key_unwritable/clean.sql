create table app.docs (id int generated always as identity primary key, tenant_id text not null, email text, secret text, is_public boolean not null default false);
alter table app.docs enable row level security; alter table app.docs force row level security;
create policy sel on app.docs for select to app_user using (tenant_id = (select current_setting('app.tenant_id', true)));
grant select, insert, update, delete on app.docs to app_user;
create table app.comments (id int generated always as identity primary key, tenant_id text not null, doc_id int not null, body text);
alter table app.comments enable row level security; alter table app.comments force row level security;
create policy c on app.comments to app_user using (tenant_id = (select current_setting('app.tenant_id', true)));
alter table app.comments add constraint comments_doc_id_fkey foreign key (doc_id) references app.docs (id) on delete restrict;
grant select, delete on app.comments to app_user;
