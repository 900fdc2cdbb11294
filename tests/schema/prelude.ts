// Types every generated dashboard check imports (tests/grafana_schema.py writes the checks).
//
// Grafana's published schema (@grafana/schema, pinned in package.json) types the dashboard
// model and, per panel kind, the panel's `options` and `fieldConfig.defaults.custom`. Two
// adaptations let it type-check dashboard JSON, and neither loosens it:
// - `Json<T>`: the schema uses TypeScript string enums (ThresholdsMode.Absolute), which a JSON
//   string literal never satisfies; Json<T> replaces each string enum by the union of its
//   values (`${T}`), deeply, and keeps optionality, so "absolute" passes and "Absolute" fails.
// - `PanelOf<Kind, Options, Custom>`: the schema's Panel types options and custom field config
//   as Record<string, unknown>; a panel kind's own Options and FieldConfig replace them, and an
//   override's properties are typed by their id (`unit` takes FieldConfig's `unit`,
//   `custom.lineWidth` the kind's `lineWidth`). Options and custom field config are checked
//   for unknown keys and wrong values but not for missing ones (`Defaulted<T>`): Grafana fills
//   what a panel leaves out from its plugin's defaults when it loads the panel
//   (grafana/grafana public/app/features/dashboard/state/getPanelOptionsWithDefaults.ts), and
//   the schema marks as required options newer than the Grafana a dashboard targets (gauge's
//   `barShape`, stat's `percentChangeColorMode`).
import type * as S from "@grafana/schema";
import type * as V2 from "@grafana/schema/dist/esm/schema/dashboard/v2alpha0/dashboard.gen";

export type Json<T> = T extends string
  ? `${T}`
  : T extends number | boolean | null | undefined
    ? T
    : T extends ReadonlyArray<infer U>
      ? Array<Json<U>>
      : T extends object
        ? { [K in keyof T]: Json<T[K]> }
        : T;

/** Json<T> with every object key optional, deeply: what a panel may leave to the defaults. */
export type Defaulted<T> = T extends string
  ? `${T}`
  : T extends number | boolean | null | undefined
    ? T
    : T extends ReadonlyArray<infer U>
      ? Array<Defaulted<U>>
      : T extends object
        ? { [K in keyof T]?: Defaulted<T[K]> }
        : T;

type FieldBase = Omit<S.FieldConfig, "custom">;

/** One override property: its `value` is typed by its `id`. */
export type Property<Custom> =
  | { [K in keyof FieldBase & string]-?: { id: K; value?: Json<FieldBase[K]> } }[keyof FieldBase &
      string]
  | { [K in keyof Custom & string]-?: { id: `custom.${K}`; value?: Defaulted<Custom[K]> } }[keyof Custom &
      string];

export type FieldConfigSource<Custom> = {
  defaults: Json<FieldBase> & { custom?: Defaulted<Custom> };
  overrides: Array<{ matcher: Json<S.MatcherConfig>; properties: Array<Property<Custom>> }>;
};

/**
 * A panel of one kind: the schema's Panel with that kind's Options and FieldConfig. Its
 * `links` are data links ({title, url, targetBlank}, what Grafana's panel editor writes), as
 * the same package's v2 schema types them (PanelSpec.links: DataLink[]); the v1 Panel types
 * them as dashboard links by mistake.
 */
export type PanelOf<Kind extends string, Options, Custom> = Omit<
  Json<S.Panel>,
  "type" | "options" | "fieldConfig" | "links"
> & {
  type: Kind;
  links?: Array<Json<V2.DataLink>>;
  options?: Defaulted<Options>;
  fieldConfig?: FieldConfigSource<Custom>;
};

/** A kind the package has no types for (alertlist, plugins): the schema's Panel shell. */
export type UntypedPanel<Kind extends string> = PanelOf<
  Kind,
  Record<string, unknown>,
  Record<string, unknown>
>;

/** Kinds with Options but no FieldConfig (stat, gauge, bargauge...) have no custom config. */
export type NoCustom = Record<string, never>;

/** A row; each of a collapsed row's panels is checked on its own (`satisfies PanelOf<...>`). */
export type Row = Omit<Json<S.RowPanel>, "panels"> & { panels: unknown[] };

/**
 * A variable. The keys added to the schema are those Grafana writes and the same package's v2
 * schema has (dist/esm/schema/dashboard/v2alpha0/dashboard.gen.d.ts) but the v1 VariableModel
 * lacks: a query variable's `definition` (QueryVariableSpec: the query's text as shown in the
 * editor) and an interval variable's `auto`, `auto_min`, `auto_count` (IntervalVariableSpec).
 */
export type Variable = Json<S.VariableModel> &
  Partial<Pick<V2.QueryVariableSpec, "definition">> &
  Partial<Pick<V2.IntervalVariableSpec, "auto" | "auto_min" | "auto_count">>;

/** The dashboard; each panel is checked on its own, against its kind. */
export type Dashboard = Omit<Json<S.Dashboard>, "panels" | "templating"> & {
  panels?: unknown[];
  templating?: { list?: Variable[] };
};
