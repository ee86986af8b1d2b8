alter default privileges in schema public grant execute on functions to anon, authenticated;
