-- The identity continues after the serial's values: no duplicate key.
insert into app.notes (body) values ('after');
do $$ begin
  if (select id from app.notes where body = 'after') <> 4 then
    raise exception 'identity did not continue from the serial: got %', (select id from app.notes where body = 'after');
  end if;
  if to_regclass('app.notes_id_seq_old') is not null then
    raise exception 'the old serial sequence was kept';
  end if;
end $$;
