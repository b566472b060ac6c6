import { Module } from '@nestjs/common';
import { AuthController, SignupController } from './auth.controller';
import { AuthEvents } from './auth-events';
import { AuthService } from './auth.service';
import { InvitationTokens } from './invitation-tokens';
import { LoginThrottle } from './login-throttle';
import { Passwords } from './passwords';
import { RefreshTokens } from './refresh-tokens';
import { Sessions } from './sessions';
import { Signup } from './signup.service';

@Module({
  controllers: [AuthController, SignupController],
  providers: [
    AuthService,
    AuthEvents,
    InvitationTokens,
    LoginThrottle,
    Passwords,
    RefreshTokens,
    Sessions,
    Signup,
  ],
  exports: [InvitationTokens, Passwords, Signup],
})
export class AuthModule {}
