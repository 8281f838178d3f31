#!/bin/sh
# First start of the compose PostgreSQL (docker-entrypoint-initdb.d): the image has created the
# `bizosaas` role and the CMS database (POSTGRES_DB); add Medusa's and Metabase's, owned by the same role.
set -eu
for db in bizosaas_commerce metabase; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -c "CREATE DATABASE \"$db\" OWNER \"$POSTGRES_USER\""
done
