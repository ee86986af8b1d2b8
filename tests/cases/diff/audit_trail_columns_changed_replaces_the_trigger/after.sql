-- The excluded column is no longer recorded.
insert into app.projects (tenant_id, name, secret) values ('00000000-0000-0000-0000-00000000000a', 'p', 's');
do $$ begin
  if not exists (select from app.audit_trail where table_name = 'app.projects' and new_values ? 'name') then
    raise exception 'projects are not audited';
  end if;
  if exists (select from app.audit_trail where new_values ? 'secret') then
    raise exception 'the excluded column was recorded';
  end if;
end $$;
