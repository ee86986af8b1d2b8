-- The trigger records an insert, with the actor from the user setting.
select set_config('app.user_id', 'user-a', false);
insert into app.projects (tenant_id, name, secret) values ('00000000-0000-0000-0000-00000000000a', 'x', 's');
do $$ begin
  if not exists (select from app.audit_trail
                  where action = 'INSERT' and table_name = 'app.projects' and actor = 'user-a'
                    and tenant_id = '00000000-0000-0000-0000-00000000000a'
                    and new_values ->> 'name' = 'x' and new_values ? 'secret') then
    raise exception 'the insert was not audited: %', (select json_agg(a) from app.audit_trail a);
  end if;
end $$;
