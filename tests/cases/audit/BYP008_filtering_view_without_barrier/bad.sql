create table app.secrets (tenant_id text not null, secret text);
create view app.mine as select secret from app.secrets where tenant_id = current_setting('app.tenant_id', true);
grant select on app.mine to app_user;
