-- Police care reports (issue 16, item 2): an organisation's directory of meldpunten niet-acute
-- zorg. Each entry covers CBS gemeentecodes (one meldpunt per municipality per directory, so
-- routing never has to choose) and lists its channels in order of preference.
CREATE TABLE meldpunten (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  position integer NOT NULL,
  name text NOT NULL,
  organisation_name text NOT NULL,
  opening_hours text NOT NULL,
  separate_police_route boolean NOT NULL,
  channels jsonb NOT NULL
);
CREATE INDEX meldpunten_organisation ON meldpunten (organisation_id, position);

CREATE TABLE meldpunt_municipalities (
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  gemeentecode text NOT NULL CHECK (gemeentecode ~ '^[0-9]{4}$'),
  meldpunt_id uuid NOT NULL REFERENCES meldpunten (id) ON DELETE CASCADE,
  PRIMARY KEY (organisation_id, gemeentecode)
);
CREATE INDEX meldpunt_municipalities_meldpunt ON meldpunt_municipalities (meldpunt_id);
