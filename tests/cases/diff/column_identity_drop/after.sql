-- The values stay; only the generation goes.
do $$ begin
  if (select count(*) from app.notes where id = 1) <> 1 then
    raise exception 'the row lost its id';
  end if;
end $$;
insert into app.notes (id, body) values (2, 'explicit');
