-- Changing the kind keeps the counter.
insert into app.notes default values;
do $$ begin
  if (select max(id) from app.notes) <> 4 then
    raise exception 'identity restarted';
  end if;
end $$;
