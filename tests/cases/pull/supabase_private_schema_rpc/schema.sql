-- Supabase-shaped: runs after the auth stand-in (examples/supabase/supabase/*.sql).

-- RPC functions in public callable by authenticated, helpers in private.
create schema private;
create table public.balances (
    user_id uuid primary key references auth.users (id),
    cents bigint not null default 0
);
alter table public.balances enable row level security;
alter table public.balances force row level security;
create policy own_balance on public.balances for select to authenticated using (user_id = (select auth.uid()));
create function private.audit(what text) returns void language plpgsql security definer set search_path = '' as $$
begin
  raise log 'audit: %', what;
end
$$;
create function public.my_balance() returns bigint language sql stable security invoker set search_path = ''
    as $$ select b.cents from public.balances b where b.user_id = (select auth.uid()) $$;
create function public.transfer(to_user uuid, amount bigint) returns void language plpgsql security definer set search_path = '' as $$
begin
  if amount <= 0 then raise exception 'amount must be positive'; end if;
  update public.balances set cents = cents - amount where user_id = (select auth.uid());
  update public.balances set cents = cents + amount where user_id = to_user;
  perform private.audit('transfer');
end
$$;
revoke execute on function public.transfer(uuid, bigint) from public, anon;
grant execute on function public.transfer(uuid, bigint), public.my_balance() to authenticated;
revoke execute on function private.audit(text) from public;
grant usage on schema public to authenticated;
grant select on public.balances to authenticated;
