insert into app.tags values (1, null, 'a');
do $$ begin
  begin
    insert into app.tags values (2, null, 'a');
    raise exception 'duplicate NULL accepted';
  exception when unique_violation then null;
  end;
end $$;
