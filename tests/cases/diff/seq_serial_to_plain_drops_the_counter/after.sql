do $$ begin
  if (select id from app.notes) <> 1 then raise exception 'values lost'; end if;
end $$;
