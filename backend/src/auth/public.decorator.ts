import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'nat:public';

/** A route anyone may call without an access token: sign-in, sign-up, refresh, health. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
