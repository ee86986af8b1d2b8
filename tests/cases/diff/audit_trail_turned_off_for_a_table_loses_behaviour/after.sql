-- Notes are no longer audited; projects still are.
insert into app.notes (tenant_id, body) values ('00000000-0000-0000-0000-00000000000a', 'n');
insert into app.projects (tenant_id, name) values ('00000000-0000-0000-0000-00000000000a', 'p');
do $$ begin
  if exists (select from app.audit_trail where table_name = 'app.notes') then
    raise exception 'notes are still audited';
  end if;
  if not exists (select from app.audit_trail where table_name = 'app.projects') then
    raise exception 'projects are no longer audited';
  end if;
end $$;
