/**
 * Label maps and label selectors: the syntax checks of `k8s.io/apimachinery` (`ValidateLabels`,
 * `ValidateLabelSelector`) and selector matching (`LabelSelectorAsSelector(...).Matches`).
 */
import type { RuleId } from './catalog';
import type { Finding } from './finding';
import { forbidden, invalid, required } from './field';
import { isQualifiedName, isValidLabelValue, labelValueOk, qualifiedNameOk } from './k8s-names';
import { finding } from './report';
import { arr, isSet, obj, str, STR_MAP_DROPS, strMap } from './util';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Label keys and values; Kubernetes reports them at the map's path, not the key's. Findings are added to `out`. */
export function validateLabels(labels: unknown, path: string, rule: RuleId = 'label-syntax', out: Finding[] = []): Finding[] {
  const map = obj(labels);
  if (!map) return out;
  // the entries of `strMap(labels)`, read in place (this runs on every label map of every object)
  const keys = Object.keys(map);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === STR_MAP_DROPS) continue;
    const value = str(map[key]);
    if (!qualifiedNameOk(key)) for (const msg of isQualifiedName(key)) out.push(finding(rule, path, invalid(key, msg)));
    if (!labelValueOk(value)) for (const msg of isValidLabelValue(value)) out.push(finding(rule, path, invalid(value, msg)));
  }
  return out;
}

/** Annotation keys (qualified names, compared lower-case as Kubernetes does). Findings are added to `out`. */
export function validateAnnotations(annotations: unknown, path: string, out: Finding[] = []): Finding[] {
  const map = obj(annotations);
  if (!map) return out;
  const keys = Object.keys(map);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key === STR_MAP_DROPS) continue;
    const lower = key.toLowerCase();
    if (!qualifiedNameOk(lower)) for (const msg of isQualifiedName(lower)) out.push(finding('annotation-syntax', path, invalid(key, msg)));
  }
  return out;
}

function validateRequirement(req: Record<string, any>, path: string): Finding[] {
  const out: Finding[] = [];
  const operator = str(req.operator);
  const values = arr(req.values);
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length === 0) {
      out.push(finding('selector-invalid', `${path}.values`, required("must be specified when `operator` is 'In' or 'NotIn'")));
    }
  } else if (operator === 'Exists' || operator === 'DoesNotExist') {
    if (values.length > 0) {
      out.push(
        finding('selector-invalid', `${path}.values`, forbidden("may not be specified when `operator` is 'Exists' or 'DoesNotExist'")),
      );
    }
  } else {
    out.push(finding('selector-invalid', `${path}.operator`, invalid(operator, 'not a valid selector operator')));
  }
  for (const msg of isQualifiedName(str(req.key))) out.push(finding('selector-invalid', `${path}.key`, invalid(str(req.key), msg)));
  values.forEach((v, i) => {
    for (const msg of isValidLabelValue(str(v))) out.push(finding('selector-invalid', `${path}.values[${i}]`, invalid(str(v), msg)));
  });
  return out;
}

/** `ValidateLabelSelector`: matchLabels syntax and each matchExpressions requirement. */
export function validateLabelSelector(selector: unknown, path: string): Finding[] {
  const sel = obj(selector);
  if (!sel) return [];
  const out = validateLabels(sel.matchLabels, `${path}.matchLabels`, 'selector-invalid');
  const expressions = arr(sel.matchExpressions);
  for (let i = 0; i < expressions.length; i++) out.push(...validateRequirement(obj(expressions[i]) ?? {}, `${path}.matchExpressions[${i}]`));
  return out;
}

/** Whether `LabelSelectorAsSelector` accepts it (nil is accepted: it selects nothing). */
export function selectorParsable(selector: unknown): boolean {
  return !isSet(selector) || validateLabelSelector(selector, '').length === 0;
}

/** Whether the selector has no requirement at all (it then selects everything). */
export function selectorEmpty(selector: unknown): boolean {
  const sel = obj(selector);
  if (!sel || arr(sel.matchExpressions).length > 0) return !sel;
  const labels = obj(sel.matchLabels);
  if (labels) {
    const keys = Object.keys(labels);
    for (let i = 0; i < keys.length; i++) if (keys[i] !== STR_MAP_DROPS) return false;
  }
  return true;
}

/**
 * {@link selectorMatches} against a label map as it is in the object (`strMap` of it, read in place: this runs on
 * every Rollout's template and every Service a Rollout names). A key of `matchLabels` matches only an own key of the
 * map (`strMap` copies own keys; what a copy inherits is never a string), compared as strings.
 */
export function selectorMatchesIn(selector: unknown, labels: unknown): boolean {
  const sel = obj(selector) ?? {};
  if (arr(sel.matchExpressions).length > 0) return selectorMatches(selector, strMap(labels));
  const matchLabels = obj(sel.matchLabels);
  if (!matchLabels) return true;
  const map = obj(labels);
  const keys = Object.keys(matchLabels);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === STR_MAP_DROPS) continue;
    if (!map || !Object.prototype.propertyIsEnumerable.call(map, k) || str(map[k]) !== str(matchLabels[k])) return false;
  }
  return true;
}

/** Whether labels satisfy a (parsable) selector. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  const sel = obj(selector) ?? {};
  const matchLabels = obj(sel.matchLabels);
  if (matchLabels) {
    const keys = Object.keys(matchLabels);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k !== STR_MAP_DROPS && labels[k] !== str(matchLabels[k])) return false;
    }
  }
  for (const raw of arr(sel.matchExpressions)) {
    const req = obj(raw) ?? {};
    const key = str(req.key);
    const values = arr(req.values).map(str);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const operator = str(req.operator);
    if (!OPERATORS.includes(operator)) return false;
    if (operator === 'In' && !(has && values.includes(labels[key]))) return false;
    if (operator === 'NotIn' && has && values.includes(labels[key])) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
