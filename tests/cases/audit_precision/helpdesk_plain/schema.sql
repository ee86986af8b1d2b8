-- Helpdesk: tickets, comments with a composite tenant foreign key, agents assigned per ticket.
set role app_owner;
create function app.current_tenant_id() returns uuid language sql stable
  as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create function app.current_user_id() returns uuid language sql stable
  as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;
create table app.tickets (id bigint generated always as identity, tenant_id uuid not null, subject text not null,
  assignee uuid, status text not null default 'open', primary key (tenant_id, id));
create table app.comments (id bigint generated always as identity primary key, tenant_id uuid not null,
  ticket_id bigint not null, author uuid not null, body text not null,
  foreign key (tenant_id, ticket_id) references app.tickets (tenant_id, id) on delete cascade);
create index on app.comments (tenant_id, ticket_id);
alter table app.tickets enable row level security;
alter table app.comments enable row level security;
alter table app.tickets force row level security;
alter table app.comments force row level security;
create policy tenant_tickets on app.tickets to app_user
  using (tenant_id = (select app.current_tenant_id())) with check (tenant_id = (select app.current_tenant_id()));
create policy tenant_comments on app.comments for select to app_user using (tenant_id = (select app.current_tenant_id()));
create policy add_comment on app.comments for insert to app_user
  with check (tenant_id = (select app.current_tenant_id()) and author = (select app.current_user_id()));
grant select, insert, update on app.tickets to app_user;
grant select, insert on app.comments to app_user;
grant execute on function app.current_tenant_id(), app.current_user_id() to app_user;
