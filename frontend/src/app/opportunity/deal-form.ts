import {
  type AbstractControl,
  FormControl,
  FormGroup,
  type ValidationErrors,
  Validators,
} from '@angular/forms';
import type { OpenStage, Stage } from '../api/models';
import { OPEN_STAGE } from '../api/models/open-stage-array';

export const NAME_MAX = 200;
/** numeric(14,2) in the database. */
export const VALUE_MAX = 999_999_999_999.99;

export function isOpenStage(stage: Stage): stage is OpenStage {
  return (OPEN_STAGE as readonly Stage[]).includes(stage);
}

/** The API trims text and refuses what is left empty: say so before sending. */
export function notBlank(control: AbstractControl<string>): ValidationErrors | null {
  return control.value.trim().length === 0 ? { required: true } : null;
}

export type DealForm = FormGroup<{
  name: FormControl<string>;
  value: FormControl<number | null>;
  stage: FormControl<OpenStage>;
}>;

export interface DealFormValue {
  name: string;
  value: number | null;
  stage: OpenStage;
}

/** Name, value and stage of a deal, as created and as edited. */
export function createDealForm(initial: DealFormValue): DealForm {
  return new FormGroup({
    name: new FormControl(initial.name, {
      nonNullable: true,
      validators: [Validators.required, notBlank, Validators.maxLength(NAME_MAX)],
    }),
    value: new FormControl<number | null>(initial.value, [
      Validators.required,
      Validators.min(0),
      Validators.max(VALUE_MAX),
      Validators.pattern(/^\d+(\.\d{1,2})?$/),
    ]),
    stage: new FormControl<OpenStage>(initial.stage, {
      nonNullable: true,
      validators: [Validators.required],
    }),
  });
}
