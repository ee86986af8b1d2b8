do $$ begin
  if (select total from app.lines where id = 1) <> 6 then raise exception 'not computed'; end if;
end $$;
