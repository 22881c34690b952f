// The client record's checks live in the core (`ClientInput::field_errors`,
// the `check_client` command): this module asks it as the practitioner types,
// keeps only the newest answer, and turns it into errors by field. The limits
// shown beside the fields are the core's too (`CLIENT_LIMITS`, generated).
import { CLIENT_LIMITS, checkClient } from '../api/clients';
import type { ClientInput, FieldError } from '../api/clients';
import { isClientField } from './form';
import type { ClientField } from './form';

export { CLIENT_LIMITS };

export type FieldErrors = Partial<Record<ClientField, string>>;

/** The core's problems as errors by field; the first problem of a field wins. */
export function toFieldErrors(problems: readonly FieldError[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const problem of problems) {
    if (isClientField(problem.field) && errors[problem.field] === undefined) {
      errors[problem.field] = problem.message;
    }
  }
  return errors;
}

/** Asks the core about the form as it is typed; an answer to a question asked before the newest is dropped (null). */
export class LiveCheck {
  #asked = 0;

  async run(input: ClientInput): Promise<FieldErrors | null> {
    const asked = ++this.#asked;
    const problems = await checkClient(input);
    return asked === this.#asked ? toFieldErrors(problems) : null;
  }
}
