do $$ begin
  if (select total from app.lines where id = 1) <> 12 then raise exception 'not recomputed'; end if;
end $$;
