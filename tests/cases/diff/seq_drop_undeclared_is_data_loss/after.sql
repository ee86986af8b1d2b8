do $$ begin
  if to_regclass('app.ticket_numbers') is not null then raise exception 'not dropped'; end if;
end $$;
