import { Injectable } from '@nestjs/common';

/** The source of "now" for every rule that depends on it; tests replace it with a fixed instant. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
