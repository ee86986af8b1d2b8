alter default privileges in schema public grant all on tables to anon, authenticated;
