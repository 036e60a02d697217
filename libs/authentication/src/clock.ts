import { Injectable } from '@nestjs/common';

/** Source of the current time; tests provide a fixed or advancing clock. Also the injection token. */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
