import {
  Kind,
  OperationTypeNode,
  parse,
  print,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
  type ValueNode,
} from 'graphql';
import { isInt32 } from '../domain/record';
import { argumentTypes, queryType, selectionAccepted, type ArgumentType, type RecordQueryName } from './record-graphql';

/**
 * Which GraphQL requests the readers' fast path answers: a query of exactly one of the two record fields
 * (`bulletinIssue`, `bulletinIssues`), with an optional alias, arguments as literals or variables, and a selection
 * graphql-js accepts (./record-graphql) — and only where graphql-js would accept the whole request: variables declared
 * once, each used, of exactly the argument's type, with values of that type; no fragments, directives or defaults.
 * Anything else gives null and goes to Apollo, which answers it (or says what is wrong) itself.
 */

type Argument = { literal: unknown } | { variable: string };
export type GraphqlPlan = {
  field: RecordQueryName;
  responseKey: string;
  selectionSet: SelectionSetNode;
  /** The selection as text: what answers written for it are kept under. */
  selectionKey: string;
  args: Map<string, Argument>;
  /** Declared variables and their types. */
  variables: Map<string, ArgumentType>;
};

function literalFor(type: ArgumentType, value: ValueNode): Argument | null {
  switch (value.kind) {
    case Kind.VARIABLE:
      return { variable: value.name.value };
    case Kind.STRING:
      return type.base === 'String' ? { literal: value.value } : null;
    case Kind.INT:
      return type.base === 'Int' && isInt32(Number(value.value)) ? { literal: Number(value.value) } : null;
    case Kind.NULL:
      return type.nonNull ? null : { literal: null };
    default:
      return null;
  }
}

function declaredType(type: TypeNode): ArgumentType | null {
  if (type.kind === Kind.NAMED_TYPE)
    return type.name.value === 'String' || type.name.value === 'Int' ? { base: type.name.value, nonNull: false } : null;
  if (type.kind === Kind.NON_NULL_TYPE && type.type.kind === Kind.NAMED_TYPE) {
    const inner = declaredType(type.type);
    return inner === null ? null : { ...inner, nonNull: true };
  }
  return null;
}

/** A variable of `declared` type may stand where an argument of type `argument` is: same type, or non-null for nullable. */
const fits = (declared: ArgumentType, argument: ArgumentType): boolean =>
  declared.base === argument.base && (declared.nonNull || !argument.nonNull);

/**
 * The one query field of a document that holds exactly one query operation (of that name, when one is given), with
 * no directive on the operation; null for anything else. (Its variable definitions: `operation`.)
 */
export function onlyQueryField(
  document: DocumentNode,
  operationName: unknown,
): { operation: OperationDefinitionNode; field: FieldNode } | null {
  if (document.definitions.length !== 1) return null;
  const operation = document.definitions[0];
  if (operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== OperationTypeNode.QUERY) return null;
  if (operationName !== undefined && operationName !== null && operationName !== operation.name?.value) return null;
  if ((operation.directives ?? []).length > 0 || operation.selectionSet.selections.length !== 1) return null;
  const field = operation.selectionSet.selections[0];
  return field.kind === Kind.FIELD ? { operation, field } : null;
}

function planOf(document: DocumentNode, operationName: unknown): GraphqlPlan | null {
  const only = onlyQueryField(document, operationName);
  if (only === null) return null;
  const { operation, field } = only;
  if ((field.directives ?? []).length > 0) return null;
  const name = field.name.value;
  if (name !== 'bulletinIssue' && name !== 'bulletinIssues') return null;
  if (field.selectionSet === undefined || !selectionAccepted(queryType(name).type, field.selectionSet)) return null;

  const variables = new Map<string, ArgumentType>();
  for (const definition of operation.variableDefinitions ?? []) {
    const type = declaredType(definition.type);
    if (
      type === null ||
      definition.defaultValue !== undefined ||
      (definition.directives ?? []).length > 0 ||
      variables.has(definition.variable.name.value)
    )
      return null;
    variables.set(definition.variable.name.value, type);
  }
  const types = argumentTypes(name);
  const args = new Map<string, Argument>();
  const used = new Set<string>();
  for (const argument of field.arguments ?? []) {
    const type = Object.prototype.hasOwnProperty.call(types, argument.name.value)
      ? types[argument.name.value]
      : undefined;
    if (type === undefined || args.has(argument.name.value)) return null;
    const value = literalFor(type, argument.value);
    if (value === null) return null;
    if ('variable' in value) {
      const declared = variables.get(value.variable);
      if (declared === undefined || !fits(declared, type)) return null;
      used.add(value.variable);
    }
    args.set(argument.name.value, value);
  }
  if (used.size !== variables.size) return null; // an unused variable is an error
  for (const [argument, type] of Object.entries(types)) if (type.nonNull && !args.has(argument)) return null;
  return {
    field: name,
    responseKey: field.alias?.value ?? name,
    selectionSet: field.selectionSet,
    selectionKey: print(field.selectionSet),
    args,
    variables,
  };
}

const plans = new Map<string, GraphqlPlan | null>();
/** Front ends send a few query texts, a few hundred characters each; longer ones go to Apollo, and are not kept. */
const MAX_QUERY_LENGTH = 4096;
const MAX_PLANS = 200;
/** An operation's name is a GraphQL name; a longer one is never kept as a key (a megabyte each would add up). */
export const MAX_OPERATION_NAME = 256;

/** The plan for a query (kept per query text: 200 of at most 4 kB), or null where Apollo answers. */
export function graphqlPlan(query: string, operationName: unknown): GraphqlPlan | null {
  if (query.length > MAX_QUERY_LENGTH) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return null; // Apollo: 400
  if (typeof operationName === 'string' && operationName.length > MAX_OPERATION_NAME) return null; // not kept: Apollo's
  const key = `${typeof operationName === 'string' ? `named ${operationName}` : 'anonymous'}\u0000${query}`;
  let plan = plans.get(key);
  if (plan === undefined) {
    try {
      plan = planOf(parse(query, { noLocation: true }), operationName);
    } catch {
      plan = null; // a syntax error: Apollo reports it
    }
    if (plans.size >= MAX_PLANS) plans.clear();
    plans.set(key, plan);
  }
  return plan;
}

const valueFits = (type: ArgumentType, value: unknown): boolean =>
  type.base === 'String' ? typeof value === 'string' : isInt32(value);

/**
 * The arguments' values as the resolver gets them (an argument not given is absent, and its default applies), or
 * null where graphql-js would reject the variables.
 */
export function graphqlArguments(plan: GraphqlPlan, variables: unknown): Record<string, unknown> | null {
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables)))
    return null;
  const given = (variables ?? {}) as Record<string, unknown>;
  const values: Record<string, unknown> = {};
  for (const [name, argument] of plan.args) {
    if ('literal' in argument) {
      values[name] = argument.literal;
      continue;
    }
    const declared = plan.variables.get(argument.variable) as ArgumentType;
    const value = Object.prototype.hasOwnProperty.call(given, argument.variable) ? given[argument.variable] : undefined;
    if (value === undefined || value === null) {
      if (declared.nonNull) return null;
      if (value === null) values[name] = null;
      continue;
    }
    if (!valueFits(declared, value)) return null;
    values[name] = value;
  }
  const types = argumentTypes(plan.field);
  for (const [name, type] of Object.entries(types))
    if (!(name in values) && type.default !== undefined) values[name] = type.default;
  return values;
}
