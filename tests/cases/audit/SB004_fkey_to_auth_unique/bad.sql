create table auth.users (id uuid primary key, email text unique);
create table public.profiles (id uuid primary key, email text constraint profiles_email_fkey references auth.users (email));
